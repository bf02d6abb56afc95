package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.testing.CloudInit;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudConfigTest {

    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();

    @TempDir
    Path dir;

    @Test
    void cloudInitAcceptsTheDocumentAndReadsBackEveryValue() throws Exception {
        String hostile = "a\"b\\c\nd: e # f\t'g' - [h] {i} & *j ! | > % @ ` \u00e9\u2028\u0001\u007f\ufeff end";
        CloudConfig config = CloudConfig.empty()
                .withFile("/etc/motd", "0644", hostile)
                .withCommand(List.of("sh", "-c", hostile))
                .withSshPort(2222);

        Path file = dir.resolve("user-data");
        Files.writeString(file, config.document());
        assertThat(CloudInit.schema(file).assertSuccess().stdout()).contains("Valid cloud-config");

        JsonNode loaded = CloudInit.load(config.document());
        assertThat(loaded.at("/write_files/0/path").asText()).isEqualTo("/etc/motd");
        assertThat(loaded.at("/write_files/0/permissions").asText()).isEqualTo("0644");
        assertThat(loaded.at("/write_files/0/content").asText()).isEqualTo(hostile);
        assertThat(loaded.at("/write_files/1/path").asText()).isEqualTo(CloudConfig.SSH_PORT_FILE);
        assertThat(loaded.at("/write_files/1/content").asText()).isEqualTo("Port 2222\n");
        assertThat(loaded.at("/runcmd/0/2").asText()).isEqualTo(hostile);
        assertThat(loaded.at("/runcmd/1/0").asText()).isEqualTo("sh");
        assertThat(loaded.at("/runcmd/1/2").asText()).contains("systemctl restart ssh.socket");
    }

    @Test
    void randomStringsSurviveCloudInitsYamlLoaderUnchanged() throws Exception {
        Random random = new Random(20261128);
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            // every BMP code point class YAML treats specially: controls, C1, line separators, surrogates excluded
            int c = random.nextInt(4) == 0 ? random.nextInt(0x100) : 0x20 + random.nextInt(0x2100);
            if (c < 0xd800 || c > 0xdfff) {
                chars.append((char) c);
            }
        }
        String value = chars.toString();
        CloudConfig config = CloudConfig.empty().withFile("/tmp/x", "0600", value);
        assertThat(CloudInit.load(config.document()).at("/write_files/0/content").asText()).isEqualTo(value);
    }

    @Test
    void hostKeysAreInstalledAsCloudInitExpectsAndMatchTheirPublicHalves() throws Exception {
        SshKeyPair ed25519 = GENERATOR.generate(KeyGenSpec.ed25519(), "ignored");
        SshKeyPair ecdsa = GENERATOR.generate(KeyGenSpec.ecdsa(256), "ignored");
        CloudConfig config = CloudConfig.empty().withHostKey(ed25519).withHostKey(ecdsa);

        Path file = dir.resolve("user-data");
        Files.writeString(file, config.document());
        CloudInit.schema(file).assertSuccess();
        JsonNode loaded = CloudInit.load(config.document());
        assertThat(loaded.get("ssh_deletekeys").asBoolean()).isTrue();
        assertThat(loaded.get("ssh_keys").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("ed25519_private", "ed25519_public", "ecdsa_private", "ecdsa_public");
        for (SshKeyPair pair : List.of(ed25519, ecdsa)) {
            String type = pair.type().cliName();
            Path key = Files.createFile(dir.resolve("ssh_host_" + type + "_key"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, loaded.at("/ssh_keys/" + type + "_private").asText());
            String derived = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-f", key.toString()).assertSuccess().stdout();
            assertThat(derived.strip()).isEqualTo(pair.publicKey().withComment("").toLine().strip());
            assertThat(loaded.at("/ssh_keys/" + type + "_public").asText()).isEqualTo(derived.strip());
        }
    }

    @Test
    void customDataIsBase64OfTheDocument() {
        CloudConfig config = CloudConfig.empty().withSshPort(2200);
        assertThat(new String(Base64.getDecoder().decode(config.customData()), StandardCharsets.UTF_8))
                .isEqualTo(config.document()).startsWith("#cloud-config\n");
    }

    @Test
    void neverShowsHostPrivateKeysInToString() {
        SshKeyPair pair = GENERATOR.generate(KeyGenSpec.ed25519(), "");
        CloudConfig config = CloudConfig.empty().withHostKey(pair).withSshPort(2222);
        assertThat(config.toString()).doesNotContain("PRIVATE").contains("ED25519", CloudConfig.SSH_PORT_FILE);
        assertThat(config.document()).contains("OPENSSH PRIVATE KEY");
    }

    @Test
    void refusesWhatCloudInitWouldMisread() {
        SshKeyPair pair = GENERATOR.generate(KeyGenSpec.ed25519(), "");
        CloudConfig empty = CloudConfig.empty();
        assertThat(empty.isEmpty()).isTrue();
        assertThatThrownBy(() -> empty.withHostKey(pair).withHostKey(pair))
                .hasMessage("two ED25519 host keys for one VM");
        assertThatThrownBy(() -> empty.withFile("etc/x", "0644", ""))
                .hasMessageContaining("not an absolute path");
        assertThatThrownBy(() -> empty.withFile("/etc/x", "644", ""))
                .hasMessage("permissions must be 4 octal digits such as 0644, not 644");
        assertThatThrownBy(() -> empty.withCommand(List.of())).hasMessageContaining("at least its program");
    }

    @Test
    void aSpecOnPort22NeedsNoCustomData() {
        VmSpec.Builder spec = VmSpec.builder().name("vm1").resourceGroup("rg").region("westeurope")
                .sshKeys(GENERATOR.generate(KeyGenSpec.ed25519(), "").publicKey()).sshSource("10.0.0.1").ownerId("ci@test");
        assertThat(spec.build().cloudConfig().isEmpty()).isTrue();
        assertThat(spec.sshPort(2222).build().cloudConfig().document()).contains("Port 2222\\n");
    }

    @Test
    void followedByKeepsBothDocumentsInOrderAndRefusesTwoHostKeysOfOneType() {
        SshKeyPair first = GENERATOR.generate(KeyGenSpec.ed25519(), "");
        CloudConfig port = CloudConfig.empty().withSshPort(2222).withHostKey(first);
        CloudConfig init = CloudConfig.empty().withFile("/opt/init.sh", "0700", "true")
                .withCommand(List.of("/opt/init.sh"));

        CloudConfig both = port.followedBy(init);

        assertThat(both.document()).containsSubsequence(CloudConfig.SSH_PORT_FILE, "/opt/init.sh",
                "systemctl daemon-reload", "[\"/opt/init.sh\"]");
        assertThat(both.hostKeys()).containsOnlyKeys(first.type());
        assertThat(port.document()).doesNotContain("/opt/init.sh");
        assertThatThrownBy(() -> port.followedBy(CloudConfig.empty().withHostKey(
                GENERATOR.generate(KeyGenSpec.ed25519(), "")))).hasMessage("two ED25519 host keys for one VM");
    }
}
