package io.jenkins.plugins.azuresshvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code azssh vm create} refusing bad {@code --tags} and unusable {@code --generate-ssh-keys} before any Azure call
 * (no Azure endpoint is given): one error line naming what is wrong, nothing written.
 */
class VmCreateArgumentsTest {
    @TempDir
    Path dir;

    private Path home;
    private Path publicKey;

    @BeforeEach
    void makeHomeAndKey() throws Exception {
        home = Files.createDirectory(dir.resolve("home"));
        publicKey = Path.of(Cli.sshKeygenPair(dir, "id_ed25519", "-t", "ed25519", "-N", "") + ".pub");
    }

    @Test
    void aTagWithoutKeyIsRefused() {
        Cli.Outcome create = create("--ssh-key-values", publicKey.toString(), "--tags", "env=ci", "=orphan");

        create.assertOneLineError();
        assertThat(create.stderr()).isEqualTo("azssh: --tags: '=orphan' has no key; give KEY=VALUE or KEY\n");
    }

    @Test
    void aTagKeyGivenTwiceIsRefusedWhateverItsCase() {
        Cli.Outcome create = create("--ssh-key-values", publicKey.toString(), "--tags", "env=ci", "ENV=prod");

        create.assertOneLineError();
        assertThat(create.stderr()).contains("--tags: key 'ENV' given twice");
    }

    @Test
    void tagKeysAzureRefusesAreNamedAsJsonErrors() {
        Cli.Outcome create = create("--ssh-key-values", publicKey.toString(), "--tags", "a/b=1",
                "azure-ssh-vm-owner=me", "-o", "json");

        create.assertOneLineError();
        var error = create.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("InvalidVmSpec");
        assertThat(error.get("message").asText()).contains("tags: key 'a/b' must be 1–512 characters")
                .contains("tags: 'azure-ssh-vm-owner' is set by the provisioner");
    }

    @Test
    void generateSshKeysRefusesAnIdRsaWithoutItsPublicKeyAndLeavesItAlone() throws Exception {
        Files.createDirectory(home.resolve(".ssh"));
        Path privateKey = home.resolve(".ssh/id_rsa");
        Files.writeString(privateKey, "not a key, and precious");

        Cli.Outcome create = create("--generate-ssh-keys");

        create.assertOneLineError();
        assertThat(create.stderr()).contains(privateKey + " exists without " + privateKey + ".pub")
                .contains("ssh-keygen -y -f " + privateKey);
        assertThat(Files.readString(privateKey)).isEqualTo("not a key, and precious");
        assertThat(KeygenCommandTest.list(home.resolve(".ssh"))).containsExactly("id_rsa");
    }

    @Test
    void generateSshKeysAndSshKeyValuesExcludeEachOther() {
        Cli.Outcome create = create("--generate-ssh-keys", "--ssh-key-values", publicKey.toString());

        assertThat(create.exitCode()).isEqualTo(2);
        assertThat(create.stderr()).contains("--ssh-key-values=FILE, --generate-ssh-keys are mutually exclusive");
        assertThat(home.resolve(".ssh")).doesNotExist();
    }

    @Test
    void aDnsLabelNeedsAPublicIp() {
        Cli.Outcome create = create("--ssh-key-values", publicKey.toString(), "--no-public-ip",
                "--public-ip-address-dns-name", "myvm");

        create.assertOneLineError();
        assertThat(create.stderr()).contains("dnsLabel: a DNS label needs a public IP");
    }

    private Cli.Outcome create(String... options) {
        List<String> args = new ArrayList<>(List.of("vm", "create", "-g", "rg", "-n", "vm1", "-l", "westeurope",
                "--ssh-source", "203.0.113.7/32"));
        args.addAll(List.of(options));
        return Cli.azssh(Map.of("HOME", home.toString()), args.toArray(String[]::new));
    }
}
