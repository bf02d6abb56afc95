package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AzureVmProvisioner#deleteOwned}: a VM described by someone who may not be trusted is deleted resource by
 * resource, each only if it carries our owner tag; a resource (or a resource group) of another owner is left and
 * named.
 */
class OwnedDeleteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String OWNER = "tester@host";
    private static final String SHARED_GROUP = "rg-owned-delete";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static AzureVmProvisioner provisioner;
    private static SshPublicKey admin;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        admin = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "admin@test").publicKey();
        azure.resources().resourceGroups().define(SHARED_GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void leavesAResourceTaggedForAnotherOwnerAndDeletesTheRest() {
        ProvisionedVm vm = provisioner.provision(spec("vm-owned", SHARED_GROUP).build(), TIMEOUT);
        NetworkSecurityGroupInner nsg = azure.network().networkSecurityGroups()
                .getById(vm.networkSecurityGroupId()).innerModel();
        Map<String, String> tags = new HashMap<>(nsg.tags());
        tags.put(AzureVmProvisioner.OWNER_TAG, "someone-else");
        azure.network().networkSecurityGroups().manager().serviceClient().getNetworkSecurityGroups()
                .createOrUpdate(SHARED_GROUP, "vm-owned-nsg", nsg.withTags(tags));

        assertThatThrownBy(() -> provisioner.deleteOwned(vm, OWNER, TIMEOUT)).isInstanceOf(AzureVmException.class)
                .hasMessageContaining("NOT deleted: network security group " + vm.networkSecurityGroupId()
                        + " (not ours: tagged " + AzureVmProvisioner.OWNER_TAG + "=someone-else)")
                .hasMessageContaining("deleted VM vm-owned");
        assertThat(Emulators.resourcesOf(arm, "vm-owned")).extracting(LiveResource::id)
                .containsExactly(vm.networkSecurityGroupId());
        azure.network().networkSecurityGroups().deleteById(vm.networkSecurityGroupId());
    }

    @Test
    void leavesAResourceGroupNotTaggedAsOursAndDeletesOurResourcesInIt() {
        ProvisionedVm vm = provisioner.provision(spec("vm-own-group", SHARED_GROUP).newResourceGroup("rg-owned-group")
                .build(), TIMEOUT);
        azure.resources().resourceGroups().define("rg-owned-group").withRegion(Emulators.REGION)
                .withTags(Map.of(AzureVmProvisioner.OWNER_TAG, "someone-else")).create();

        assertThatThrownBy(() -> provisioner.deleteOwned(vm, OWNER, TIMEOUT)).isInstanceOf(AzureVmException.class)
                .hasMessageContaining("NOT deleted: resource group /subscriptions/" + arm.subscriptionId()
                        + "/resourceGroups/rg-owned-group (not ours");
        assertThat(Emulators.resourcesOf(arm, "vm-own-group")).as("ours, deleted one by one").isEmpty();
        assertThat(arm.inventory()).extracting(LiveResource::id).anyMatch(id -> id.endsWith("/rg-owned-group"));
        azure.resources().resourceGroups().deleteByName("rg-owned-group");
    }

    @Test
    void deletesAVmThatIsAllOursWithItsGroup() {
        ProvisionedVm vm = provisioner.provision(spec("vm-all-ours", SHARED_GROUP).newResourceGroup("rg-all-ours")
                .build(), TIMEOUT);

        provisioner.deleteOwned(vm, OWNER, TIMEOUT);

        assertThat(arm.inventory()).extracting(LiveResource::id).noneMatch(id -> id.contains("rg-all-ours"));
    }

    @Test
    void leavesEverythingOfAVmOfAnotherOwner() {
        ProvisionedVm vm = provisioner.provision(spec("vm-theirs", SHARED_GROUP).ownerId("someone-else").build(),
                TIMEOUT);
        List<LiveResource> before = Emulators.resourcesOf(arm, "vm-theirs");

        assertThatThrownBy(() -> provisioner.deleteOwned(vm, OWNER, TIMEOUT)).isInstanceOf(AzureVmException.class)
                .hasMessageContaining("deleted nothing");
        assertThat(Emulators.resourcesOf(arm, "vm-theirs")).isEqualTo(before);
        provisioner.deleteOwned(vm, "someone-else", TIMEOUT);
        assertThat(Emulators.resourcesOf(arm, "vm-theirs")).isEmpty();
    }

    private static VmSpec.Builder spec(String name, String group) {
        return VmSpec.builder().name(name).resourceGroup(group).region(Emulators.REGION).sshKeys(admin)
                .sshSource("127.0.0.1/32").ownerId(OWNER);
    }
}
