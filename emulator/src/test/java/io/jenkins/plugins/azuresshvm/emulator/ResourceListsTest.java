package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceExpandedInner;
import com.azure.resourcemanager.resources.fluentcore.arm.models.HasId;
import com.azure.resourcemanager.resources.fluentcore.arm.models.HasName;
import com.azure.resourcemanager.resources.models.GenericResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's own list calls against the emulator: by group, by subscription, and generic resources by tag and type. */
class ResourceListsTest {

    private static final String OWNER = "azure-ssh-vm-owner";

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder().runtime(FakeVmRuntime::new));

    private static ComputeManager compute;
    private static VirtualMachine alice;
    private static VirtualMachine bob;

    @BeforeAll
    static void twoGroupsWithAVmEach(ArmEmulator emulator) throws Exception {
        compute = Sdk.compute(emulator);
        for (String group : List.of("rg-alice", "rg-bob")) {
            compute.resourceManager().resourceGroups().define(group).withRegion(Sdk.REGION).create();
        }
        alice = Sdk.createVm(compute, "rg-alice", "vm-alice", "azureuser", List.of(SshKeys.ed25519()),
                Map.of(OWNER, "alice@ci"));
        bob = Sdk.createVm(compute, "rg-bob", "vm-bob", "azureuser", List.of(SshKeys.ed25519()),
                Map.of(OWNER, "bob@ci"));
    }

    @Test
    void listsVirtualMachinesBySubscriptionAndByGroup() {
        assertThat(compute.virtualMachines().list()).extracting(HasName::name)
                .containsExactlyInAnyOrder("vm-alice", "vm-bob");
        assertThat(compute.virtualMachines().listByResourceGroup("rg-bob")).extracting(HasId::id)
                .containsExactly(bob.id());
    }

    @Test
    void findsTheVmWithAPublicIpThroughTheIpAndNicLists() {
        String address = bob.getPrimaryPublicIPAddress().ipAddress();
        var network = compute.networkManager();

        PublicIpAddress ip = network.publicIpAddresses().list().stream()
                .filter(candidate -> address.equals(candidate.ipAddress())).findFirst().orElseThrow();
        NetworkInterface nic = network.networkInterfaces().list().stream()
                .filter(candidate -> ip.id().equalsIgnoreCase(candidate.primaryIPConfiguration().publicIpAddressId()))
                .findFirst().orElseThrow();

        assertThat(nic.virtualMachineId()).isEqualToIgnoringCase(bob.id());
        assertThat(network.publicIpAddresses().listByResourceGroup("rg-alice")).extracting(HasName::name)
                .containsExactly("vm-alice-ip");
        assertThat(network.networkInterfaces().listByResourceGroup("rg-alice")).extracting(HasName::name)
                .containsExactly("vm-alice-nic");
    }

    @Test
    void listsGenericResourcesByTagInAGroupAndInTheSubscription() {
        List<GenericResource> inGroup = compute.resourceManager().genericResources()
                .listByTag("rg-alice", OWNER, "alice@ci").stream().toList();
        assertThat(inGroup).extracting(HasId::id).containsExactly(alice.id());
        GenericResource found = inGroup.get(0);
        assertThat(found.resourceType()).isEqualTo("virtualMachines");
        assertThat(found.resourceProviderNamespace()).isEqualTo("Microsoft.Compute");
        assertThat(found.regionName()).isEqualTo(Sdk.REGION.name());
        assertThat(found.tags()).containsEntry(OWNER, "alice@ci");

        assertThat(compute.resourceManager().genericResources().listByTag("rg-bob", OWNER, "alice@ci")).isEmpty();
        assertThat(resources("tagName eq '" + OWNER + "' and tagValue eq 'bob@ci'")).extracting(r -> r.id())
                .containsExactly(bob.id());
        assertThat(resources("tagname eq '" + OWNER.toUpperCase() + "'")).extracting(r -> r.id())
                .containsExactlyInAnyOrder(alice.id(), bob.id());
        assertThat(resources("tagName eq '" + OWNER + "' and tagValue eq 'ALICE@ci'")).isEmpty();
    }

    @Test
    void listsEveryResourceButGroupsWithoutFilterAndByTypeWithOne() {
        assertThat(compute.resourceManager().genericResources().list()).extracting(GenericResource::type)
                .contains("Microsoft.Compute/virtualMachines", "Microsoft.Compute/disks",
                        "Microsoft.Network/networkInterfaces", "Microsoft.Network/publicIPAddresses",
                        "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/virtualNetworks")
                .doesNotContain("Microsoft.Resources/resourceGroups");
        assertThat(resources("resourceType eq 'Microsoft.Network/publicIPAddresses'")).extracting(r -> r.name())
                .containsExactlyInAnyOrder("vm-alice-ip", "vm-bob-ip");
    }

    @Test
    void rejectsAFilterItDoesNotUnderstand(ArmEmulator emulator) throws Exception {
        assertThatThrownBy(() -> resources("location eq 'westeurope'"))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getCode()).isEqualTo("InvalidFilterInQueryString");
                    assertThat(e.getValue().getMessage()).contains("location eq 'westeurope'", "tagName");
                });
        var vmListWithFilter = Sdk.raw(emulator, "GET", "/subscriptions/" + emulator.subscriptionId()
                + "/providers/Microsoft.Compute/virtualMachines?api-version=2025-04-01&$filter="
                + "name%20eq%20'vm-bob'", "token", null);
        assertThat(vmListWithFilter.statusCode()).isEqualTo(400);
        assertThat(vmListWithFilter.body()).contains("InvalidFilterInQueryString", "virtualMachines");
    }

    private static List<GenericResourceExpandedInner> resources(String filter) {
        return compute.resourceManager().serviceClient().getResources().list(filter, null, null, Context.NONE)
                .stream().toList();
    }
}
