package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM created with {@code osProfile.customData} whose cloud-config has {@code ssh_keys}: its real sshd presents
 * exactly those host keys, run-command reports them, and ARM never returns the custom data. One whose
 * {@code write_files} has an sshd drop-in with {@code Port}: its sshd listens there and only there. Needs root,
 * openssh-server, libnss-wrapper and util-linux: skipped without them, failed under {@code CI=true}.
 */
class CustomDataVmTest {

    private static final String GROUP = "rg-customdata";

    @TempDir
    static Path temp;

    private static ArmEmulator emulator;
    private static ComputeManager compute;
    private static String authorized;

    @BeforeAll
    static void start() throws Exception {
        try {
            emulator = ArmEmulator.builder().workDir(temp.resolve("emulator")).start();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("The VM emulator cannot run here")) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(e.getMessage() + " (CI=true: not skipping)");
                }
                Assumptions.abort(e.getMessage());
            }
            throw e;
        }
        compute = Sdk.compute(emulator);
        compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();
        authorized = publicKey(keyPair("authorized", "ed25519"));
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void sshdPresentsExactlyTheHostKeysOfTheCloudConfig() throws Exception {
        Path ed25519 = keyPair("host-ed25519", "ed25519");
        Path rsa = keyPair("host-rsa", "rsa");
        String cloudConfig = "#cloud-config\n"
                + "runcmd:\n  - [systemctl, restart, ssh]\n"
                + "ssh_keys:\n"
                + "  ed25519_private: |\n" + indented(Files.readString(ed25519))
                + "  ed25519_public: " + publicKey(ed25519) + "\n"
                + "  rsa_private: |\n" + indented(Files.readString(rsa))
                + "  rsa_public: " + publicKey(rsa) + "\n";

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-given-keys", "azureuser", List.of(authorized),
                base64(cloudConfig));
        String ip = vm.getPrimaryPublicIPAddress().ipAddress();

        assertThat(presentedHostKeys(ip)).containsExactlyInAnyOrder(keyOf(publicKey(ed25519)), keyOf(publicKey(rsa)));
        assertThat(SdkAgainstEmulatorTest.stdout(vm, List.of("cat /etc/ssh/ssh_host_*_key.pub")).lines()
                .map(CustomDataVmTest::keyOf)).containsExactlyInAnyOrder(keyOf(publicKey(ed25519)),
                keyOf(publicKey(rsa)));
        Path vmDir = temp.resolve("emulator/vms/vm-given-keys");
        for (String type : List.of("ed25519", "rsa")) {
            for (Path key : List.of(vmDir.resolve("etc/ssh/ssh_host_" + type + "_key"),
                    vmDir.resolve("sshd/ssh_host_" + type + "_key"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString())
                        .isEqualTo("rw-------");
            }
        }
        assertThat(Sdk.raw(emulator, "GET", vm.id() + "?api-version=2024-07-01", "t", null).body())
                .contains("\"osProfile\"").doesNotContain("customData");
        compute.virtualMachines().deleteById(vm.id());
    }

    @Test
    void takesTheCloudConfigPartOfAMimeMultipartMessageAndDerivesAMissingPublicKey() throws Exception {
        Path ecdsa = keyPair("host-ecdsa", "ecdsa");
        String cloudConfig = "ssh_keys:\n  ecdsa_private: |\n" + indented(Files.readString(ecdsa));
        String mime = "Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\nMIME-Version: 1.0\n\n"
                + "--BOUNDARY\nContent-Type: text/x-shellscript\n\n#!/bin/sh\necho hello\n"
                + "--BOUNDARY\nContent-Type: text/cloud-config\n\n" + cloudConfig
                + "--BOUNDARY--\n";

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-mime", "azureuser", List.of(authorized), base64(mime));

        assertThat(presentedHostKeys(vm.getPrimaryPublicIPAddress().ipAddress()))
                .containsExactly(keyOf(publicKey(ecdsa)));
        assertThat(keyOf(SdkAgainstEmulatorTest.stdout(vm, List.of("cat /etc/ssh/ssh_host_ecdsa_key.pub")).strip()))
                .isEqualTo(keyOf(publicKey(ecdsa)));

        emulator.attack("vm-mime", Attack.foreignHostKeys());
        assertThat(presentedHostKeys(vm.getPrimaryPublicIPAddress().ipAddress()))
                .as("a man in the middle presents the types the VM has").hasSize(1)
                .allMatch(key -> key.startsWith("ecdsa-sha2-nistp256 ")).doesNotContain(keyOf(publicKey(ecdsa)));
        assertThatThrownBy(() -> emulator.attack("vm-mime", Attack.foreignHostKey("rsa")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no host key of types [rsa]");
        compute.virtualMachines().deleteById(vm.id());
    }

    @Test
    void sshdListensOnThePortItsSshdDropInGivesAndNotOn22() throws Exception {
        String cloudConfig = "#cloud-config\n"
                + "write_files:\n"
                + "  - path: /etc/ssh/sshd_config.d/00-port.conf\n    permissions: '0644'\n    content: \"Port 2222\\n\"\n"
                + "runcmd:\n  - [systemctl, restart, ssh]\n";

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-port", "azureuser", List.of(authorized),
                base64(cloudConfig));
        String ip = vm.getPrimaryPublicIPAddress().ipAddress();

        Set<String> presented = presentedHostKeys(ip, 2222);
        assertThat(presented).hasSize(3);
        assertThat(SdkAgainstEmulatorTest.stdout(vm, List.of("cat /etc/ssh/ssh_host_*_key.pub")).lines()
                .map(CustomDataVmTest::keyOf)).containsExactlyInAnyOrderElementsOf(presented);
        assertThat(accepts(ip, 22)).as("nothing on " + ip + ":22").isFalse();
        assertThat(emulator.sshConnections("vm-port")).isNotEmpty();
        assertThat(SdkAgainstEmulatorTest.stdout(vm, List.of("cat /etc/ssh/sshd_config.d/00-port.conf")))
                .isEqualTo("Port 2222\n");
        Path dropIn = temp.resolve("emulator/vms/vm-port/etc/ssh/sshd_config.d/00-port.conf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn.getParent())))
                .isEqualTo("rwx------");

        emulator.attack("vm-port", Attack.foreignHostKeys());
        assertThat(presentedHostKeys(ip, 2222)).as("the man in the middle stays on 2222").hasSize(3)
                .doesNotContainAnyElementsOf(presented);
        compute.virtualMachines().deleteById(vm.id());
        assertThat(accepts(ip, 2222)).as("deleted: nothing on " + ip + ":2222").isFalse();
    }

    @Test
    void refusesSshdDropInsWithAPortTheVmCannotListenOn() {
        for (String port : List.of("0", "65536", "ssh")) {
            assertThatThrownBy(() -> Sdk.createVm(compute, GROUP, "vm-bad-port", "azureuser", List.of(authorized),
                            base64("#cloud-config\nwrite_files:\n  - path: /etc/ssh/sshd_config.d/50-port.conf\n"
                                    + "    content: \"Port " + port + "\\n\"\n")))
                    .isInstanceOfSatisfying(ManagementException.class, e -> {
                        assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                        assertThat(e.getValue().getCode()).isEqualTo("InvalidParameter");
                        assertThat(e.getValue().getTarget()).isEqualTo("osProfile.customData");
                        assertThat(e.getValue().getMessage()).contains("/etc/ssh/sshd_config.d/50-port.conf line 1"
                                + " has Port '" + port + "'");
                    });
        }
        assertThat(emulator.inventory()).noneMatch(resource -> resource.id().endsWith("/vm-bad-port"));
    }

    @Test
    void refusesCustomDataThatIsNotBase64OrNotYaml() {
        assertThatThrownBy(() -> Sdk.createVm(compute, GROUP, "vm-bad-base64", "azureuser", List.of(authorized),
                        "#cloud-config"))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getCode()).isEqualTo("InvalidParameter");
                    assertThat(e.getValue().getTarget()).isEqualTo("osProfile.customData");
                });
        assertThatThrownBy(() -> Sdk.createVm(compute, GROUP, "vm-bad-yaml", "azureuser", List.of(authorized),
                        base64("#cloud-config\nssh_keys: {rsa_private: [\n")))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getValue().getTarget()).isEqualTo("osProfile.customData");
                    assertThat(e.getValue().getMessage()).contains("not valid YAML");
                });
        assertThat(emulator.inventory()).noneMatch(resource -> resource.type().equals("Microsoft.Compute/virtualMachines"));
    }

    /** The host keys sshd presents, as {@code TYPE BASE64}. */
    private static Set<String> presentedHostKeys(String ip) throws Exception {
        return presentedHostKeys(ip, 22);
    }

    private static Set<String> presentedHostKeys(String ip, int port) throws Exception {
        return run("ssh-keyscan", "-T", "5", "-p", Integer.toString(port), "-t", "rsa,ecdsa,ed25519", ip).lines()
                .filter(line -> !line.startsWith("#"))
                .map(line -> keyOf(line.substring(line.indexOf(' ') + 1)))
                .collect(Collectors.toSet());
    }

    private static boolean accepts(String ip, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** {@code TYPE BASE64} of a public key line, without its comment. */
    private static String keyOf(String line) {
        String[] fields = line.strip().split(" ");
        return fields[0] + " " + fields[1];
    }

    private static String indented(String text) {
        return text.lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path keyPair(String name, String type) throws Exception {
        Path key = temp.resolve(name);
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    private static String publicKey(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .redirectInput(Path.of("/dev/null").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed");
        }
        return stdout;
    }
}
