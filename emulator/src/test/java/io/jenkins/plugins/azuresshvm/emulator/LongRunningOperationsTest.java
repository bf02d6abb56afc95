package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.PowerState;
import com.azure.resourcemanager.compute.models.RunCommandResult;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real SDK completes VM create, run-command and delete against the emulator in its long-running mode, with
 * Azure's latencies scaled down (VM create 1.6 s, boot 1.2 s, run-command 1 s). Only lower bounds of time are
 * asserted.
 */
class LongRunningOperationsTest {

    private static final String GROUP = "rg-lro";
    private static final Latencies LATENCIES = Latencies.azure().scaled(0.04);
    private static final List<FakeVmRuntime> RUNTIMES = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder()
            .longRunningOperations(true).latencies(LATENCIES).runtime(dir -> {
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

    @Test
    void scalesAzureLatenciesByOneFactor() {
        assertThat(Latencies.azure().scaled(0.1)).isEqualTo(new Latencies(Duration.ofSeconds(4),
                Duration.ofSeconds(3), Duration.ofMillis(2500)));
        assertThat(LATENCIES.vmCreate()).isEqualTo(Duration.ofMillis(1600));
    }

    @Test
    void sdkCompletesCreateRunCommandAndDeleteThroughOperations(ArmEmulator emulator) throws Exception {
        FakeVmRuntime runtime = RUNTIMES.get(0);
        int first = emulator.requestLog().size();
        long start = System.nanoTime();

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-lro", "azureuser", List.of(SshKeys.ed25519()));

        assertThat(millisSince(start)).isGreaterThanOrEqualTo(LATENCIES.vmCreate().toMillis());
        assertThat(vm.provisioningState()).isEqualTo("Succeeded");
        assertThat(vm.powerState()).isEqualTo(PowerState.RUNNING);
        List<LoggedRequest> log = emulator.requestLog().subList(first, emulator.requestLog().size());
        assertThat(log).filteredOn(r -> r.method().equals("PUT") && r.path().contains("/virtualMachines/vm-lro"))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(201);
                    assertThat(r.state()).isEqualTo("Creating");
                });
        for (String type : List.of("publicIPAddresses", "networkSecurityGroups", "virtualNetworks",
                "networkInterfaces")) {
            assertThat(log).filteredOn(r -> r.method().equals("PUT") && r.path().contains("/" + type + "/"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.status()).isEqualTo(201);
                        assertThat(r.state()).isEqualTo("Updating");
                    });
        }
        List<String> polls = log.stream().filter(r -> r.path().contains("/locations/westeurope/operations/"))
                .map(LoggedRequest::state).toList();
        assertThat(polls).contains("InProgress").endsWith("Succeeded");
        assertThat(polls.stream().filter("Succeeded"::equals).count()).isEqualTo(5); // 4 network resources + VM

        // PowerState/running comes before sshd: the VM boots for the boot latency after its creation succeeded
        while (!runtime.vms.containsKey("vm-lro")) {
            Thread.sleep(20);
        }
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(
                LATENCIES.vmCreate().plus(LATENCIES.vmBoot()).toMillis());

        int before = emulator.requestLog().size();
        long runStart = System.nanoTime();
        RunCommandResult result = vm.runShellScript(List.of("echo slow"), List.of());
        assertThat(millisSince(runStart)).isGreaterThanOrEqualTo(LATENCIES.runCommand().toMillis());
        assertThat(result.value().get(0).message()).isEqualTo("Enable succeeded: \n[stdout]\nslow\n\n[stderr]\n\n");
        // an operation: 202, then polls; whether one falls inside the latency depends on the SDK's timing
        assertThat(emulator.requestLog().subList(before, emulator.requestLog().size()))
                .extracting(LoggedRequest::method, LoggedRequest::status, LoggedRequest::state)
                .startsWith(tuple("POST", 202, null)).contains(tuple("GET", 200, "Succeeded"));

        before = emulator.requestLog().size();
        compute.virtualMachines().deleteById(vm.id());
        List<LoggedRequest> deletion = emulator.requestLog().subList(before, emulator.requestLog().size());
        assertThat(deletion).extracting(LoggedRequest::method, LoggedRequest::status, LoggedRequest::state)
                .containsSubsequence(tuple("DELETE", 202, null), tuple("GET", 200, "InProgress"),
                        tuple("GET", 200, "Succeeded"));
        assertThat(runtime.vms).doesNotContainKey("vm-lro");
        assertThat(emulator.inventory()).extracting(LiveResource::id)
                .noneMatch(id -> id.contains("vm-lro-nic") || id.contains("vm-lro_OsDisk") || id.equals(vm.id()));
    }

    @Test
    void sdkDeletesNetworkResourcesThroughOperations(ArmEmulator emulator) {
        var network = compute.networkManager();
        var nsg = network.networkSecurityGroups().define("nsg-lro").withRegion(Sdk.REGION)
                .withExistingResourceGroup(GROUP).create();
        assertThat(nsg.innerModel().provisioningState().toString()).isEqualTo("Succeeded");
        int before = emulator.requestLog().size();

        network.networkSecurityGroups().deleteById(nsg.id());

        assertThat(emulator.requestLog().subList(before, emulator.requestLog().size()))
                .extracting(LoggedRequest::method, LoggedRequest::status, LoggedRequest::state)
                .containsSubsequence(tuple("DELETE", 202, null), tuple("GET", 200, "InProgress"),
                        tuple("GET", 200, "Succeeded"));
        assertThat(emulator.inventory()).extracting(LiveResource::id).noneMatch(id -> id.endsWith("/nsg-lro"));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
