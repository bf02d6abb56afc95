package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.PowerState;
import com.azure.resourcemanager.compute.models.RunCommandResult;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.PublicIPSkuType;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Azure SDK drives the emulator over HTTPS; VMs are fakes here (see {@link RealSshdVmTest} for real ones).
 * Each LRO poll costs the second the emulator asks for ({@code Retry-After: 1}), so the tests share a group.
 */
class SdkAgainstEmulatorTest {

    private static final String GROUP = "rg-sdk";
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
    void createsRunsAndDeletesAVmWithTwoKeys(ArmEmulator emulator) throws Exception {
        String rsa = SshKeys.rsa(2048);
        String ed25519 = SshKeys.ed25519();

        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-life", "azureuser", List.of(rsa, ed25519));

        String ip = vm.getPrimaryPublicIPAddress().ipAddress();
        assertThat(ip).matches("127\\.0\\.0\\.([2-9]|[1-9][0-9])");
        FakeVmRuntime.FakeVm booted = runtime().vms.get("vm-life");
        assertThat(booted.spec.ipAddress()).isEqualTo(ip);
        assertThat(booted.spec.adminUsername()).isEqualTo("azureuser");
        assertThat(booted.spec.authorizedKeys()).containsExactly(rsa, ed25519);
        assertThat(vm.powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(vm.osProfile().linuxConfiguration().ssh().publicKeys()).hasSize(2);

        RunCommandResult result = vm.runShellScript(
                List.of("echo hello", "printf 'x%.0s' $(seq 5000) >&2", "printf END >&2"), List.of());
        assertThat(result.value()).hasSize(1);
        assertThat(result.value().get(0).code()).isEqualTo("ProvisioningState/succeeded");
        assertThat(result.value().get(0).message()).isEqualTo(
                "Enable succeeded: \n[stdout]\nhello\n\n[stderr]\n" + "x".repeat(4093) + "END\n");

        String vmId = vm.id();
        compute.virtualMachines().deleteById(vmId);
        assertThat(runtime().vms).doesNotContainKey("vm-life");
        assertThat(emulator.inventory()).extracting(LiveResource::id)
                .noneMatch(id -> id.contains("vm-life-nic") || id.contains("vm-life_OsDisk") || id.equals(vmId))
                .anyMatch(id -> id.endsWith("/publicIPAddresses/vm-life-ip"))
                .anyMatch(id -> id.endsWith("/networkSecurityGroups/vm-life-nsg"));
    }

    @Test
    void resourceGroupDeleteRemovesEverythingInside(ArmEmulator emulator) throws Exception {
        compute.resourceManager().resourceGroups().define("rg-gone").withRegion(Sdk.REGION).create();
        Sdk.createVm(compute, "rg-gone", "vm-gone", "azureuser", List.of(SshKeys.ed25519()));
        assertThat(emulator.inventory()).filteredOn(r -> r.id().contains("/resourceGroups/rg-gone"))
                .extracting(LiveResource::type).containsExactlyInAnyOrder("Microsoft.Resources/resourceGroups",
                        "Microsoft.Network/publicIPAddresses", "Microsoft.Network/networkSecurityGroups",
                        "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkInterfaces",
                        "Microsoft.Compute/virtualMachines", "Microsoft.Compute/disks");

        compute.resourceManager().resourceGroups().deleteByName("rg-gone");

        assertThat(emulator.inventory()).noneMatch(r -> r.id().contains("/resourceGroups/rg-gone"));
        assertThat(runtime().vms).doesNotContainKey("vm-gone");
        assertThat(emulator.requestLog()).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).contains("/operationresults/");
            assertThat(request.status()).isEqualTo(200);
        });
    }

    @Test
    void refusesKeysAndNamesAsAzureDoes(ArmEmulator emulator) throws Exception {
        assertRefused("vm-ecdsa", "azureuser", SshKeys.ecdsa(), "linuxConfiguration.ssh.publicKeys.keyData");
        assertRefused("vm-rsa1024", "azureuser", SshKeys.rsa(1024), "linuxConfiguration.ssh.publicKeys.keyData");
        assertRefused("vm-admin", "admin", SshKeys.ed25519(), "adminUsername");
        assertRefused("vm-root", "Root", SshKeys.ed25519(), "adminUsername");
        assertThat(runtime().vms).doesNotContainKeys("vm-ecdsa", "vm-rsa1024", "vm-admin", "vm-root");
        assertThat(emulator.inventory()).extracting(LiveResource::id)
                .noneMatch(id -> id.matches(".*/(virtualMachines/vm-|disks/vm-)(ecdsa|rsa1024|admin|root).*"));
    }

    private static void assertRefused(String vmName, String admin, String key, String target) {
        assertThatThrownBy(() -> Sdk.createVm(compute, GROUP, vmName, admin, List.of(key)))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getCode()).isEqualTo("InvalidParameter");
                    assertThat(e.getValue().getTarget()).isEqualTo(target);
                });
    }

    @Test
    void unknownResourcesAre404() {
        assertThatThrownBy(() -> compute.resourceManager().resourceGroups().getByName("rg-nowhere"))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("ResourceGroupNotFound"));
        assertThatThrownBy(() -> compute.virtualMachines().getByResourceGroup(GROUP, "vm-nowhere"))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
                    assertThat(e.getValue().getCode()).isEqualTo("ResourceNotFound");
                });
    }

    @Test
    void attacksReachTheVmAndTheRunCommandAnswer(ArmEmulator emulator) throws Exception {
        VirtualMachine vm = Sdk.createVm(compute, GROUP, "vm-attack", "azureuser", List.of(SshKeys.ed25519()));
        List<String> script = List.of("echo 'ssh-ed25519 AAAA one'");

        emulator.attack("vm-attack", Attack.RunCommandFault.EXTRA_KEY_LINE);
        assertThat(stdout(vm, script))
                .matches("ssh-ed25519 AAAA one\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\\S{43} root@vm-attack\n");

        emulator.attack("vm-attack", Attack.RunCommandFault.AGENT_NOT_READY);
        assertThatThrownBy(() -> vm.runShellScript(script, List.of()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("VMAgentStatusCommunicationError"));

        emulator.attack("vm-attack", Attack.foreignHostKey("ecdsa"));
        assertThat(runtime().vms.get("vm-attack").foreignHostKeys).containsExactly("ecdsa");
        emulator.attack("vm-attack", Attack.foreignHostKeys(), Attack.RunCommandFault.EMPTY_OUTPUT);
        assertThat(runtime().vms.get("vm-attack").foreignHostKeys)
                .containsExactlyInAnyOrder("rsa", "ecdsa", "ed25519");
        emulator.attack("vm-attack");
        assertThat(runtime().vms.get("vm-attack").foreignHostKeys).isEmpty();
        assertThatThrownBy(() -> emulator.attack("vm-nowhere", Attack.foreignHostKeys()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPublicIpDnsLabelGetsItsRegionalFqdnOnceAndANicCanUseAnExistingSubnet() {
        var network = compute.networkManager();
        PublicIpAddress ip = network.publicIpAddresses().define("ip-dns").withRegion(Sdk.REGION)
                .withExistingResourceGroup(GROUP).withSku(PublicIPSkuType.STANDARD).withStaticIP()
                .withLeafDomainLabel("emu-dns-1").create();
        assertThat(ip.leafDomainLabel()).isEqualTo("emu-dns-1");
        assertThat(ip.fqdn()).isEqualTo("emu-dns-1.westeurope.cloudapp.azure.com");
        assertThat(network.publicIpAddresses().getById(ip.id()).fqdn()).isEqualTo(ip.fqdn());

        assertThatThrownBy(() -> network.publicIpAddresses().define("ip-dns-again").withRegion(Sdk.REGION)
                .withExistingResourceGroup(GROUP).withSku(PublicIPSkuType.STANDARD).withStaticIP()
                .withLeafDomainLabel("emu-dns-1").create()).isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("DnsRecordInUse"));
        assertThatThrownBy(() -> network.publicIpAddresses().define("ip-dns-bad").withRegion(Sdk.REGION)
                .withExistingResourceGroup(GROUP).withSku(PublicIPSkuType.STANDARD).withStaticIP()
                .withLeafDomainLabel("Bad_Label").create()).isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getValue().getCode()).isEqualTo("InvalidDomainNameLabel"));

        Network vnet = network.networks().define("vnet-shared").withRegion(Sdk.REGION).withExistingResourceGroup(GROUP)
                .withAddressSpace("10.5.0.0/16").withSubnet("workers", "10.5.1.0/24").create();
        NetworkInterface nic = network.networkInterfaces().define("nic-in-shared").withRegion(Sdk.REGION)
                .withExistingResourceGroup(GROUP).withExistingPrimaryNetwork(network.networks().getById(vnet.id()))
                .withSubnet("workers").withPrimaryPrivateIPAddressDynamic().create();
        assertThat(nic.primaryPrivateIP()).isEqualTo("10.5.1.4");
        assertThat(nic.primaryIPConfiguration().networkId()).isEqualTo(vnet.id());
        network.networkInterfaces().deleteById(nic.id());
        network.publicIpAddresses().deleteById(ip.id());
        network.networks().deleteById(vnet.id());
    }

    /** The stdout part of the run command's message. */
    static String stdout(VirtualMachine vm, List<String> script) {
        String message = vm.runShellScript(script, List.of()).value().get(0).message();
        assertThat(message).startsWith("Enable succeeded: \n[stdout]\n");
        return message.substring("Enable succeeded: \n[stdout]\n".length(), message.lastIndexOf("\n[stderr]\n"));
    }
}
