package io.jenkins.plugins.azuresshvm.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.azuresshvm.azure.CloudConfig;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.testing.CloudInit;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init script and the pre-seeded host keys in one customData, checked by the real cloud-init (its schema and
 * YAML loader), ssh-keygen, and /bin/sh running the document's command and the agent's start prefix (with the
 * paths moved into a temporary folder).
 */
class AgentInitScriptTest {
    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();

    @TempDir
    Path dir;

    @Test
    void oneCloudConfigCarriesTheScriptAndThePreseededHostKeysAndCloudInitAcceptsIt() throws Exception {
        String script = "#!/bin/sh\necho \"it's $((6*7))\" > /tmp/x\n# : [ ] { } & * ! | > ' \" %\n";
        VmSpec spec = AgentTemplateSpecTest.template(script, true).vmSpec("agents-k3f9x2", "owner", GENERATOR
                .generate(KeyGenSpec.ed25519(), "login").publicKey(), 21, GENERATOR);
        String document = spec.cloudConfig().document();

        Path file = dir.resolve("user-data");
        Files.writeString(file, document);
        assertThat(CloudInit.schema(file).assertSuccess().stdout()).contains("Valid cloud-config");

        JsonNode loaded = CloudInit.load(document);
        assertThat(loaded.at("/write_files/0/path").asText()).isEqualTo(AgentInitScript.SCRIPT);
        assertThat(loaded.at("/write_files/0/permissions").asText()).isEqualTo("0700");
        assertThat(loaded.at("/write_files/0/content").asText()).isEqualTo(script);
        assertThat(loaded.at("/runcmd/0/2").asText()).startsWith(AgentInitScript.SCRIPT + " >");
        assertThat(loaded.get("ssh_keys").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("ed25519_private", "ed25519_public", "ecdsa_private", "ecdsa_public");
        for (SshKeyPair pair : spec.preseededHostKeys().pairs()) {
            String type = pair.type().cliName();
            Path key = Files.createFile(dir.resolve("ssh_host_" + type + "_key"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, loaded.at("/ssh_keys/" + type + "_private").asText());
            String derived = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-f", key.toString()).assertSuccess().stdout();
            assertThat(derived.strip()).isEqualTo(pair.publicKey().withComment("").toLine().strip());
        }
        assertThat(spec.cloudConfig().hostKeys()).containsOnlyKeys(KeyType.ED25519, KeyType.ECDSA);
    }

    @Test
    void aPortChangeComesFirstThenTheScriptInTheSameDocument() throws Exception {
        VmSpec spec = VmSpec.builder().name("a-1").resourceGroup("rg").region("westeurope").ownerId("o")
                .sshKeys(GENERATOR.generate(KeyGenSpec.ed25519(), "").publicKey()).sshSource("10.0.0.1")
                .sshPort(2222).initConfig(new AgentInitScript("true").addTo(
                        CloudConfig.empty())).build();
        Path file = dir.resolve("user-data");
        Files.writeString(file, spec.cloudConfig().document());
        CloudInit.schema(file).assertSuccess();

        JsonNode loaded = CloudInit.load(spec.cloudConfig().document());
        assertThat(loaded.at("/write_files/0/content").asText()).isEqualTo("Port 2222\n");
        assertThat(loaded.at("/write_files/1/content").asText()).isEqualTo("true");
        assertThat(loaded.at("/runcmd/0/2").asText()).contains("systemctl restart");
        assertThat(loaded.at("/runcmd/1/2").asText()).startsWith("/bin/sh " + AgentInitScript.SCRIPT);
    }

    @Test
    void theStartPrefixWaitsForTheScriptAndStopsTheAgentWhenItFailed() throws Exception {
        assertThat(startAgent(new AgentInitScript("echo installing; exit 0"), true).stdout()).isEqualTo("agent\n");

        OpenSsh.Result failed = startAgent(new AgentInitScript("#!/bin/sh\necho no apt >&2\nexit 3\n"), true);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stdout()).isEmpty();
        assertThat(failed.stderr()).contains("the init script failed (status 3); see " + move(AgentInitScript.LOG));
        assertThat(Files.readString(moved(AgentInitScript.LOG))).contains("no apt");

        assertThat(startAgent(null, false).stdout()).as("a VM without an init script").isEqualTo("agent\n");
    }

    @Test
    void theDefaultScriptIsValidShellAndRefusesAJavaTooOldForAgents() throws Exception {
        Path script = Files.writeString(dir.resolve("default.sh"), AgentInitScript.installingJava(21).script());
        assertThat(OpenSsh.run(List.of("/bin/sh", "-n", script.toString()), Map.of(), null, null).exitCode())
                .isZero();
        assertThatThrownBy(() -> AgentInitScript.installingJava(8)).hasMessageContaining("Java 11 or later");
        assertThatThrownBy(() -> new AgentInitScript(" ")).hasMessageContaining("init script: empty");
    }

    /**
     * Runs what cloud-init's runcmd would (in the background, as it runs after sshd starts), then the agent's
     * start command behind {@link AgentInitScript#launchPrefix()}, both with the paths moved into {@link #dir}.
     */
    private OpenSsh.Result startAgent(AgentInitScript init, boolean written) throws Exception {
        Files.createDirectories(moved(AgentInitScript.SCRIPT).getParent());
        Files.deleteIfExists(moved(AgentInitScript.DONE));
        Files.deleteIfExists(moved(AgentInitScript.SCRIPT));
        List<String> commands = new ArrayList<>();
        if (written) {
            JsonNode loaded = CloudInit.load(init.addTo(CloudConfig.empty())
                    .document());
            Files.writeString(moved(AgentInitScript.SCRIPT), loaded.at("/write_files/0/content").asText());
            moved(AgentInitScript.SCRIPT).toFile().setExecutable(true);
            commands.add("(sleep 1; " + move(loaded.at("/runcmd/0/2").asText()) + ") &");
        }
        commands.add(move(AgentInitScript.launchPrefix()) + "echo agent");
        return OpenSsh.run(List.of("/bin/sh", "-c", String.join("\n", commands)), Map.of(), null, null);
    }

    private Path moved(String path) {
        return Path.of(move(path));
    }

    private String move(String text) {
        return text.replace("/var/lib/azure-ssh-vm/", dir + "/lib/").replace(AgentInitScript.LOG,
                dir + "/init.log");
    }
}
