package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.LoggedRequest;
import io.jenkins.plugins.azuresshvm.emulator.OperationKind;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault the ARM emulator can inject, at every step of a verified launch and its delete: the run ends either
 * with a verified VM (then deleted) or with an error naming the step and what was deleted — and in both cases none
 * of the run's resources are left in the emulator's inventory. The emulator answers as Azure does (long-running
 * operations); retries and response timeouts are short here so the matrix stays fast. Needs root, openssh-server
 * and libnss-wrapper: skipped without them, failed under {@code CI=true}.
 */
class ProvisioningFaultsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** 3 retries, 50 ms doubling to 400 ms without Retry-After, 1.5 s for an answer. */
    private static final ArmRetries RETRIES = new ArmRetries(3, Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofMillis(1500));
    /** Longer than {@link ArmRetries#responseTimeout()}: the try is given up, never waited out. */
    private static final Duration HANG_FOR = Duration.ofSeconds(3);
    private static final String GROUP = "rg-faults";

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static VerifiedSshClient ssh;
    private static SshKeyPair key;

    @BeforeAll
    static void start() throws Exception {
        // synchronous answers: each LRO poll would cost the SDK a Retry-After second, some ten per case (the SDK's
        // polling in LRO mode is the emulator's LongRunningOperationsTest's); an injected Failed fault still makes
        // its request an operation
        arm = Emulators.startOrSkip(ArmEmulator.builder());
        AzureAccess azure = Emulators.access(arm, RETRIES);
        provisioner = Emulators.provisioner(azure);
        launcher = Emulators.launcher(azure, provisioner);
        ssh = new VerifiedSshClient();
        key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "faults@test");
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

    /** Where a fault strikes: one kind of ARM request, in a shared resource group or one the launch creates. */
    enum Step {
        NSG(OperationKind.NSG_PUT, false, "creating network security group"),
        PUBLIC_IP(OperationKind.PUBLIC_IP_PUT, false, "creating public IP"),
        VNET(OperationKind.VNET_PUT, false, "creating virtual network"),
        NIC(OperationKind.NIC_PUT, false, "creating network interface"),
        VM(OperationKind.VM_PUT, false, "creating VM"),
        RUN_COMMAND(OperationKind.RUN_COMMAND, false, "probing the host keys"),
        VM_DELETE(OperationKind.VM_DELETE, false, null),
        OTHER_DELETE(OperationKind.OTHER_DELETE, false, null),
        GROUP_CREATE(OperationKind.RESOURCE_GROUP_PUT, true, "creating resource group"),
        GROUP_DELETE(OperationKind.RESOURCE_GROUP_DELETE, true, null);

        final OperationKind kind;
        final boolean newGroup;
        /** How the error names the step when the request fails for good; null for deletes, which are retried. */
        final String failedStep;

        Step(OperationKind kind, boolean newGroup, String failedStep) {
            this.kind = kind;
            this.newGroup = newGroup;
            this.failedStep = failedStep;
        }
    }

    /** The faults, each struck once. */
    enum Kind {
        THROTTLED, ERROR_500, ERROR_503, FAILED_OPERATION, HANG, DROPPED_CONNECTION;

        Fault at(OperationKind kind) {
            return switch (this) {
                case THROTTLED -> Fault.throttle(kind, 1, 1);
                case ERROR_500 -> Fault.serverError(kind, 1, 500);
                case ERROR_503 -> Fault.serverError(kind, 1, 503);
                case FAILED_OPERATION -> Fault.failedOperation(kind, 1, "InternalExecutionError",
                        "An unexpected error occurred (injected).");
                case HANG -> Fault.hang(kind, 1, HANG_FOR);
                case DROPPED_CONNECTION -> Fault.droppedConnection(kind, 1);
            };
        }
    }

    /**
     * Every step meets a throttle, a hang and (where the request starts an operation) a Failed operation. 500, 503
     * and a dropped connection take the SDK's one retry path that a throttle takes (the emulator's
     * FaultInjectionTest shows the SDK retrying each), so they strike one create and one delete step: the matrix stays
     * a couple of minutes on two cores.
     */
    static Stream<Arguments> faultsAtEachStep() {
        return Arrays.stream(Step.values()).flatMap(step -> Arrays.stream(Kind.values())
                .filter(kind -> kind != Kind.FAILED_OPERATION || step.kind.startsOperation())
                .filter(kind -> kind == Kind.THROTTLED || kind == Kind.HANG || kind == Kind.FAILED_OPERATION
                        || step == Step.VM || step == Step.OTHER_DELETE)
                .map(kind -> Arguments.of(step, kind)));
    }

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("faultsAtEachStep")
    void aRunEndsWithAVerifiedVmOrWithNothingOfOursLeft(Step step, Kind kind) throws Exception {
        String name = ("vm-" + step + "-" + kind).toLowerCase(Locale.ROOT).replace('_', '-');
        VmSpec.Builder spec = VmSpec.builder().name(name).resourceGroup(step.newGroup ? "rg-" + name : GROUP)
                .region(Emulators.REGION).sshKeys(key.publicKey()).sshSource("127.0.0.1/32").ownerId("faults@host");
        if (step.newGroup) {
            spec.newResourceGroup("rg-" + name);
        }
        Fault fault = kind.at(step.kind);
        arm.inject(fault);

        boolean fails = kind == Kind.FAILED_OPERATION && step.failedStep != null;
        if (fails) {
            ProvisioningException failure = catchThrowableOfType(
                    () -> launcher.launch(spec.build(), TIMEOUT, progress -> {}), ProvisioningException.class);

            assertThat(failure).as("a Failed operation is no transient fault: the launch fails").isNotNull();
            assertThat(failure.failedStep()).startsWith(step.failedStep);
            assertThat(failure).hasMessageContaining("failed while " + step.failedStep)
                    .hasMessageContaining("InternalExecutionError");
            assertThat(failure.left()).as("nothing left, so the error lists nothing as NOT deleted").isEmpty();
            assertThat(failure.deleted()).as("what was deleted").isNotEmpty();
        } else {
            VerifiedVm vm = launcher.launch(spec.build(), TIMEOUT, progress -> {});
            try (VerifiedSession session = ssh.connect(vm.vm().host(), vm.vm().sshPort(), vm.vm().adminUsername(),
                    vm.hostKeys(), key, Duration.ofSeconds(20))) {
                CommandResult result = session.execute("true", new ByteArrayOutputStream(),
                        new ByteArrayOutputStream(), Duration.ofSeconds(20));
                assertThat(result.exitStatus()).hasValue(0);
            }
            provisioner.delete(vm.vm(), TIMEOUT);
        }

        // a hung request is logged when the emulator drops it, after HANG_FOR
        long end = System.nanoTime() + HANG_FOR.plusSeconds(2).toNanos();
        while (arm.requestLog().stream().noneMatch(r -> fault.equals(r.fault())) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(arm.requestLog()).as("the fault struck").extracting(LoggedRequest::fault).contains(fault);
        assertThat(resourcesOf(name)).as("left in the emulator").isEmpty();
    }

    @Test
    void aDeleteThatKeepsFailingIsBoundedAndListsWhatIsLeftByIdThenDeletesOnceTheFaultClears() throws Exception {
        String name = "vm-delete-keeps-failing";
        VerifiedVm vm = launcher.launch(VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION)
                .sshKeys(key.publicKey()).sshSource("127.0.0.1/32").ownerId("faults@host").build(), TIMEOUT,
                progress -> {});
        Fault failing = Fault.failedOperation(OperationKind.VM_DELETE, RETRIES.maxRetries() + 1,
                "InternalExecutionError", "Delete failed (injected).");
        arm.inject(failing);
        long start = System.nanoTime();

        AzureVmException failure = catchThrowableOfType(() -> provisioner.delete(vm.vm(), TIMEOUT),
                AzureVmException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up after its retries, not at the deadline")
                .isLessThan(TIMEOUT.dividedBy(2));
        assertThat(arm.requestLog()).filteredOn(r -> failing.equals(r.fault())).hasSize(RETRIES.maxRetries() + 1);
        assertThat(failure).hasMessageStartingWith("deleting VM " + name + ": ")
                .hasMessageContaining("NOT deleted: VM " + vm.vm().vmResourceId()
                        + " (InternalExecutionError: Delete failed (injected).)")
                .hasMessageContaining("network interface " + vm.vm().networkInterfaceId())
                .hasMessageContaining("public IP " + vm.vm().publicIpId());
        assertThat(resourcesOf(name)).extracting(LiveResource::id).contains(vm.vm().vmResourceId());

        provisioner.delete(vm.vm(), TIMEOUT);
        assertThat(resourcesOf(name)).isEmpty();
    }

    /** The run's resources: its VM, disk, NIC, IP, NSG and virtual network, and its resource group if it made one. */
    private static List<LiveResource> resourcesOf(String vmName) {
        return arm.inventory().stream().filter(r -> r.id().contains(vmName)).toList();
    }
}
