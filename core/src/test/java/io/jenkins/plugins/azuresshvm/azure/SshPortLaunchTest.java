package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM whose sshd moves off port 22 ({@link VmSpec.Builder#sshPort}, through customData's sshd drop-in, which the
 * emulator honours): the NSG opens that port, the launcher verifies the VM there, we and the real {@code ssh} connect
 * there and only there, and deleting it leaves nothing. Needs root, openssh-server and libnss-wrapper: skipped
 * without them, failed under {@code CI=true}.
 */
class SshPortLaunchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);
    private static final String GROUP = "rg-port";
    private static final int PORT = 2222;

    @TempDir
    static Path dir;

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static VerifiedSshClient ssh;
    private static SshKeyPair admin;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip();
        AzureAccess azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        launcher = Emulators.launcher(azure, provisioner);
        ssh = new VerifiedSshClient();
        admin = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "admin@test");
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void aVmOnPort2222IsVerifiedAndReachedThereAndDeletedWithoutTrace() throws Exception {
        VerifiedVm vm = launcher.launch(VmSpec.builder().name("vm-port").resourceGroup(GROUP).region(Emulators.REGION)
                .sshKeys(admin.publicKey()).sshSource("127.0.0.1/32").ownerId("tester@host").sshPort(PORT).build(),
                TIMEOUT, step -> {});
        String host = vm.vm().host();
        try {
            assertThat(vm.vm().sshPort()).isEqualTo(PORT);
            assertThat(vm.hostKeys().keys()).as("probed through run-command vs. presented on port " + PORT)
                    .containsExactlyInAnyOrderElementsOf(Emulators.keyscan(host, PORT));
            assertThat(accepts(host, 22)).as("nothing on " + host + ":22").isFalse();

            try (VerifiedSession session = ssh.connect(host, vm.vm().sshPort(), vm.vm().adminUsername(),
                    vm.hostKeys(), admin, SSH_TIMEOUT)) {
                ByteArrayOutputStream stdout = new ByteArrayOutputStream();
                CommandResult result = session.execute("echo ok", stdout, new ByteArrayOutputStream(), SSH_TIMEOUT);
                assertThat(result.exitStatus()).hasValue(0);
                assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("ok\n");
            }

            assertThat(vm.knownHostsLines()).isNotEmpty().allMatch(line -> line.startsWith("[" + host + "]:" + PORT
                    + " "));
            OpenSsh.Result openSsh = openSsh(vm, "echo ok");
            assertThat(openSsh.exitCode()).as(openSsh.stderr()).isZero();
            assertThat(openSsh.stdout()).isEqualTo("ok\n");
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
        assertThat(resourcesOf("vm-port")).as("everything of vm-port deleted").isEmpty();
        assertThat(accepts(host, PORT)).as("nothing on " + host + ":" + PORT).isFalse();
    }


    /** The real ssh with only our known_hosts lines, strict checking and no prompt, on the VM's port. */
    private static OpenSsh.Result openSsh(VerifiedVm vm, String command) throws Exception {
        Path knownHosts = Files.write(dir.resolve("known_hosts"), vm.knownHostsLines());
        Path key = dir.resolve("id");
        KeyPairFiles.write(key, new PrivateKeyEncoder().encode(admin, PrivateKeyFormat.OPENSSH, null),
                admin.publicKey(), false);
        return OpenSsh.run(List.of(OpenSsh.ssh().toString(), "-F", "/dev/null", "-p",
                Integer.toString(vm.vm().sshPort()), "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10", "-i", key.toString(),
                vm.vm().adminUsername() + "@" + vm.vm().host(), command), Map.of(), null, null);
    }

    private static List<LiveResource> resourcesOf(String vmName) {
        return Emulators.resourcesOf(arm, vmName);
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
