package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.azure.core.http.HttpMethod;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real SDK creates VMs that are real OpenSSH servers; the real {@code ssh} logs in, and run-command
 * reports the host keys sshd presents — except under attack. Needs root, openssh-server, libnss-wrapper and
 * util-linux: skipped without them, failed under {@code CI=true}.
 */
class RealSshdVmTest {

    private static final String GROUP = "rg-sshd";

    private static ArmEmulator emulator;
    private static ComputeManager compute;

    @TempDir
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        try {
            emulator = ArmEmulator.builder().start();
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
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "authorized", "-f", keys.resolve("authorized").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", keys.resolve("other").toString());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void sshLogsInWithAnAuthorizedKeyOnly() throws Exception {
        long start = System.nanoTime();
        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-login", "azureuser",
                List.of(Files.readString(keys.resolve("authorized.pub")), SshKeys.rsa(2048)));
        String ip = vm.getPrimaryPublicIPAddress().ipAddress();
        Result login = ssh("authorized", ip, "echo $USER");
        long readyMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("VM create through the SDK -> SSH login: " + readyMillis + " ms");

        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).isEqualTo("azureuser\n");
        Result refused = ssh("other", ip, "true");
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.stderr()).contains("Permission denied");

        compute.virtualMachines().deleteById(vm.id());
        assertThat(ssh("authorized", ip, "true").stderr()).contains("Connection refused");
    }

    @Test
    void runCommandReportsTheHostKeySshdPresentsUnlessAttacked() throws Exception {
        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-keys", "azureuser",
                List.of(Files.readString(keys.resolve("authorized.pub"))));
        String ip = vm.getPrimaryPublicIPAddress().ipAddress();

        String reported = reportedFingerprint(vm, "ecdsa");
        assertThat(reported).startsWith("SHA256:");
        assertThat(presentedFingerprint(ip, "ecdsa")).isEqualTo(reported);

        emulator.attack("vm-keys", Attack.foreignHostKey("ecdsa"));
        assertThat(presentedFingerprint(ip, "ecdsa")).isNotEqualTo(reported);
        assertThat(presentedFingerprint(ip, "ed25519")).isEqualTo(reportedFingerprint(vm, "ed25519"));

        emulator.attack("vm-keys", Attack.foreignHostKeys());
        assertThat(reportedFingerprint(vm, "ecdsa")).isEqualTo(reported);
        assertThat(presentedFingerprint(ip, "ecdsa")).isNotEqualTo(reported);

        compute.resourceManager().resourceGroups().deleteByName(GROUP);
        assertThat(emulator.inventory()).isEmpty();
    }

    @Test
    void sshdLogsEachConnectionAfterTheJitRequestThatOpenedIt() throws Exception {
        compute.resourceManager().resourceGroups().define("rg-jit").withRegion(Sdk.REGION).create();
        VirtualMachine vm = Sdk.createVm(compute, "rg-jit", "vm-jit", "azureuser",
                List.of(Files.readString(keys.resolve("authorized.pub"))));
        String ip = vm.getPrimaryPublicIPAddress().ipAddress();
        String policy = JitPoliciesTest.policy(emulator, "rg-jit", "default") + JitPoliciesTest.API;
        assertThat(Sdk.rest(compute, emulator, HttpMethod.PUT, policy,
                JitPoliciesTest.policyBody(vm.id(), 22, "PT3H")).status()).isEqualTo(200);
        assertThat(emulator.sshConnections("vm-jit")).isEmpty();

        assertThat(Sdk.rest(compute, emulator, HttpMethod.POST, policy.replace("?", "/initiate?"),
                JitPoliciesTest.initiateBody(vm.id(), 22, "PT1H", "127.0.0.1")).status()).isEqualTo(202);
        Result login = ssh("authorized", ip, "true");

        assertThat(login.exitCode()).as(login.stderr()).isZero();
        Instant requested = emulator.jitRequests().get(0).time();
        assertThat(emulator.sshConnections("vm-jit")).singleElement().satisfies(connection -> {
            assertThat(connection.clientAddress()).isEqualTo("127.0.0.1");
            assertThat(connection.time()).isAfter(requested).isBefore(Instant.now());
        });
        compute.resourceManager().resourceGroups().deleteByName("rg-jit");
    }

    private static String reportedFingerprint(VirtualMachine vm, String type) {
        String stdout = SdkAgainstEmulatorTest.stdout(vm,
                List.of("ssh-keygen -lf /etc/ssh/ssh_host_" + type + "_key.pub"));
        return stdout.split(" ")[1];
    }

    private static String presentedFingerprint(String ip, String type) throws Exception {
        Result scan = run("ssh-keyscan", "-t", type, ip);
        Path file = keys.resolve("scanned-" + type);
        Files.writeString(file, scan.stdout());
        Result fingerprint = run("ssh-keygen", "-lf", file.toString());
        assertThat(fingerprint.exitCode()).as(scan.stderr() + fingerprint.stderr()).isZero();
        return fingerprint.stdout().split(" ")[1];
    }

    private static Result ssh(String key, String ip, String command) throws Exception {
        return run("ssh", "-F", "/dev/null", "-i", keys.resolve(key).toString(), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "azureuser@" + ip, command);
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private static Result run(String... command) throws Exception {
        Path out = Files.createTempFile(keys, "out", ".txt");
        Path err = Files.createTempFile(keys, "err", ".txt");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .redirectInput(Path.of("/dev/null").toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 20 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
