package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each injectable fault, as the real SDK sees it: retried (429, 5xx, dropped connection) or an error. */
class FaultInjectionTest {

    private static final String GROUP = "rg-faults";
    private static final List<FakeVmRuntime> RUNTIMES = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder().runtime(dir -> {
        FakeVmRuntime runtime = new FakeVmRuntime(dir);
        RUNTIMES.add(runtime);
        return runtime;
    }));

    private static ComputeManager compute;

    @BeforeAll
    static void sdk(ArmEmulator emulator) throws Exception {
        compute = Sdk.compute(emulator);
        compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();
    }

    private static FakeVmRuntime runtime() {
        return RUNTIMES.get(0);
    }

    @Test
    void sdkRetriesThrottlingAfterRetryAfterAndServerErrors(ArmEmulator emulator) throws Exception {
        Fault throttle = Fault.throttle(OperationKind.VM_PUT, 2, 1);
        Fault unavailable = Fault.serverError(OperationKind.NIC_PUT, 1, 503);
        Fault failing = Fault.serverError(OperationKind.PUBLIC_IP_PUT, 1, 500);
        emulator.inject(throttle, unavailable, failing);
        long start = System.nanoTime();

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-retried", "azureuser", List.of(SshKeys.ed25519()));

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(2000); // Retry-After: 1, twice
        assertThat(vm.provisioningState()).isEqualTo("Succeeded");
        assertThat(runtime().vms).containsKey("vm-retried");
        assertThat(puts(emulator, "virtualMachines/vm-retried")).extracting(LoggedRequest::status, LoggedRequest::fault)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(429, throttle),
                        org.assertj.core.groups.Tuple.tuple(429, throttle),
                        org.assertj.core.groups.Tuple.tuple(201, null));
        assertThat(puts(emulator, "networkInterfaces/vm-retried-nic")).extracting(LoggedRequest::status)
                .containsExactly(503, 201);
        assertThat(puts(emulator, "publicIPAddresses/vm-retried-ip")).extracting(LoggedRequest::status)
                .containsExactly(500, 201);
    }

    @Test
    void failedVmCreateIsAManagementExceptionWithItsCodeAndLeavesAFailedVmThatDeletes(ArmEmulator emulator) {
        emulator.inject(Fault.failedOperation(OperationKind.VM_PUT, 1, "AllocationFailed",
                "Allocation failed. We do not have sufficient capacity."));

        assertThatThrownBy(() -> Sdk.createVm(compute, GROUP, "vm-failed", "azureuser", List.of(SshKeys.ed25519())))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("AllocationFailed"));

        // as on Azure: the VM stays, Failed, with its NIC and OS disk; it never booted
        VirtualMachine vm = compute.virtualMachines().getByResourceGroup(GROUP, "vm-failed");
        assertThat(vm.provisioningState()).isEqualTo("Failed");
        assertThat(runtime().vms).doesNotContainKey("vm-failed");
        assertThat(puts(emulator, "virtualMachines/vm-failed")).singleElement()
                .satisfies(r -> assertThat(r.fault()).isInstanceOf(Fault.FailedOperation.class));

        compute.virtualMachines().deleteById(vm.id());
        assertThat(emulator.inventory()).extracting(LiveResource::id)
                .noneMatch(id -> id.contains("/virtualMachines/vm-failed") || id.contains("vm-failed-nic")
                        || id.contains("vm-failed_OsDisk"));
    }

    @Test
    void failedRunCommandAndDeleteAreManagementExceptionsWithTheirCodes(ArmEmulator emulator) throws Exception {
        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-refuses", "azureuser", List.of(SshKeys.ed25519()));
        emulator.inject(Fault.failedOperation(OperationKind.RUN_COMMAND, 1, "VMAgentStatusCommunicationError",
                "VM has not reported status for VM agent or extensions."),
                Fault.failedOperation(OperationKind.VM_DELETE, 1, "InternalExecutionError", "Delete failed."));

        assertThatThrownBy(() -> vm.runShellScript(List.of("echo never"), List.of()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("VMAgentStatusCommunicationError"));
        assertThatThrownBy(() -> compute.virtualMachines().deleteById(vm.id()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("InternalExecutionError"));
        assertThat(runtime().vms).containsKey("vm-refuses");

        compute.virtualMachines().deleteById(vm.id());
        assertThat(runtime().vms).doesNotContainKey("vm-refuses");
    }

    @Test
    void hangingAnswerMeetsTheCallersTimeoutAndChangesNothing(ArmEmulator emulator) throws Exception {
        emulator.inject(Fault.hang(OperationKind.RESOURCE_GROUP_PUT, 1, Duration.ofSeconds(3)));

        assertThatThrownBy(() -> compute.resourceManager().resourceGroups().define("rg-hung")
                .withRegion(Sdk.REGION).createAsync().block(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Timeout");

        Thread.sleep(3500);
        assertThat(emulator.requestLog()).filteredOn(r -> r.path().endsWith("/rg-hung")).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isZero();
                    assertThat(r.fault()).isInstanceOf(Fault.Hang.class);
                });
        assertThat(emulator.inventory()).extracting(LiveResource::id).noneMatch(id -> id.endsWith("/rg-hung"));
    }

    @Test
    void droppedConnectionIsAnIOExceptionThatTheSdkRetries(ArmEmulator emulator) throws Exception {
        Fault drop = Fault.droppedConnection(OperationKind.GET, 2);
        emulator.inject(drop);
        String path = "/subscriptions/" + emulator.subscriptionId() + "/resourcegroups/" + GROUP
                + "?api-version=2025-04-01";

        assertThatThrownBy(() -> Sdk.raw(emulator, "GET", path, "token", null)).isInstanceOf(IOException.class);
        assertThat(compute.resourceManager().resourceGroups().getByName(GROUP).name()).isEqualTo(GROUP);

        assertThat(emulator.requestLog()).filteredOn(r -> drop.equals(r.fault()))
                .hasSize(2).allSatisfy(r -> assertThat(r.status()).isZero());
    }

    private static List<LoggedRequest> puts(ArmEmulator emulator, String resource) {
        return emulator.requestLog().stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/" + resource)).toList();
    }
}
