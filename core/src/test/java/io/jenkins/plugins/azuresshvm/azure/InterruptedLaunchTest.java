package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.OperationKind;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Launches that end before the VM is reachable leave nothing behind: a pre-seeded launch whose run-command cross-check
 * fails while the VM still boots (its SSH port closed) fails at once instead of waiting for the port, and a launch
 * cancelled while ARM creates its VM deletes the VM it did not yet know of. VM creation takes {@link #VM_CREATE},
 * boot {@link #VM_BOOT}; the client does not retry ARM requests. Needs root, openssh-server and libnss-wrapper:
 * skipped without them, failed under {@code CI=true}.
 */
class InterruptedLaunchTest {
    private static final Duration VM_CREATE = Duration.ofSeconds(3);
    private static final Duration VM_BOOT = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "rg-interrupted";

    private static ArmEmulator arm;
    private static VerifiedVmLauncher launcher;
    private static SshKeyGenerator generator;
    private static SshKeyPair admin;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip(ArmEmulator.builder()
                .latencies(new Latencies(VM_CREATE, VM_BOOT, Duration.ZERO)));
        AzureAccess azure = Emulators.access(arm, new ArmRetries(0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60)));
        launcher = Emulators.launcher(azure, Emulators.provisioner(azure));
        generator = new SshKeyGenerator();
        admin = generator.generate(KeyGenSpec.ed25519(), "admin@test");
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void aCrossCheckFailingWhileTheSshPortIsClosedFailsTheLaunchAndDeletesTheVm() {
        arm.inject(Fault.serverError(OperationKind.RUN_COMMAND, 1, 500));
        long start = System.nanoTime();

        Throwable failure = catchThrowable(() -> launcher.launch(spec("vm-check-failed"), TIMEOUT, step -> {}));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("cross-checking the host keys of VM vm-check-failed")
                .hasMessageContaining("InternalServerError");
        assertThat(((ProvisioningException) failure).left()).isEmpty();
        assertThat(took).as("failed before the VM booted and its SSH port opened").isLessThan(VM_CREATE.plus(VM_BOOT));
        assertThat(Emulators.resourcesOf(arm, "vm-check-failed")).as("left in the emulator").isEmpty();
    }

    @Test
    void aLaunchCancelledWhileItsVmIsBeingCreatedLeavesNothing() throws Exception {
        CompletableFuture<VerifiedVm> launch = launcher.launchAsync(spec("vm-cancelled-early"), TIMEOUT, step -> {});
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (arm.inventory().stream().noneMatch(r -> r.id().endsWith("/virtualMachines/vm-cancelled-early"))
                && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(launch.isDone()).as("still creating the VM").isFalse();

        assertThat(launch.cancel(false)).isTrue();

        while (!Emulators.resourcesOf(arm, "vm-cancelled-early").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(arm.inventory()).as("left in the emulator").noneMatch(r -> r.id().contains("vm-cancelled-early"));
        assertThat(catchThrowable(() -> launch.get(1, TimeUnit.SECONDS))).isNotInstanceOf(ExecutionException.class);
    }

    private static VmSpec spec(String name) {
        return VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION).sshKeys(admin.publicKey())
                .sshSource("127.0.0.1/32").ownerId("tester@host")
                .preseededHostKeys(PreseededHostKeys.generate(generator)).build();
    }
}
