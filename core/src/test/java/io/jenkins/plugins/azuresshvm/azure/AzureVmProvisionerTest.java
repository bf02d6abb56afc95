package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.resourcemanager.compute.models.PowerState;
import com.azure.resourcemanager.network.models.Network;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provision, run-command and delete through the real SDK over HTTPS against the ARM emulator, whose VMs are real
 * sshd processes. Needs root, openssh-server and libnss-wrapper: skipped without them, failed under {@code CI=true}.
 */
class AzureVmProvisionerTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static final String SHARED_GROUP = "rg-shared";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static AzureVmProvisioner provisioner;
    private static RunCommand runCommand;
    private static SshPublicKey rsa;
    private static SshPublicKey ed25519;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        provisioner = new AzureVmProvisioner(azure, Duration.ofMillis(100), Clock.fixed(NOW, ZoneOffset.UTC));
        runCommand = new RunCommand(azure, Duration.ofMillis(200));
        SshKeyGenerator generator = new SshKeyGenerator();
        rsa = generator.generate(KeyGenSpec.rsa(2048), "rsa@test").publicKey();
        ed25519 = generator.generate(KeyGenSpec.ed25519(), "ed25519@test").publicKey();
        azure.resources().resourceGroups().define(SHARED_GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    private static VmSpec.Builder spec(String name) {
        return VmSpec.builder().name(name).resourceGroup(SHARED_GROUP).region(Emulators.REGION)
                .sshKeys(ed25519).sshSource("127.0.0.1/32").ownerId("tester@host");
    }

    private static List<LiveResource> inGroup(String group) {
        return arm.inventory().stream().filter(r -> r.id().contains("/resourceGroups/" + group)).toList();
    }

    private static List<LiveResource> named(String vmName) {
        return arm.inventory().stream().filter(r -> r.id().matches(".*/" + vmName + "(-[a-z]+)?$")).toList();
    }

    @Test
    void aVmInItsOwnGroupRunsWithBothKeysIsTaggedAnswersRunCommandAndIsDeletedWithItsGroup() throws Exception {
        int requestsBefore = arm.requestLog().size();
        long start = System.nanoTime();
        ProvisionedVm vm = provisioner.provision(VmSpec.builder().name("vm-life").newResourceGroup("rg-life")
                .region(Emulators.REGION).sshKeys(rsa, ed25519).sshSource("127.0.0.1").ownerId("tester@host")
                .tag("purpose", "test").build(), TIMEOUT);
        long provisioned = System.nanoTime();
        int provisionRequests = arm.requestLog().size() - requestsBefore;

        assertThat(vm.publicIp()).matches("127\\.0\\.0\\.([2-9]|[1-9][0-9])").isEqualTo(vm.host());
        assertThat(vm.privateIp()).startsWith("10.0.0.");
        assertThat(vm.adminUsername()).isEqualTo("azureuser");
        assertThat(vm.sshPort()).isEqualTo(22);
        assertThat(vm.resourceGroupCreated()).isTrue();
        assertThat(vm.vmId()).isNotBlank().isEqualTo(new VmLookup(azure).vmId("rg-life", "vm-life", TIMEOUT));
        assertThat(inGroup("rg-life")).extracting(LiveResource::type).containsExactlyInAnyOrder(
                "Microsoft.Resources/resourceGroups", "Microsoft.Network/networkSecurityGroups",
                "Microsoft.Network/publicIPAddresses", "Microsoft.Network/virtualNetworks",
                "Microsoft.Network/networkInterfaces", "Microsoft.Compute/virtualMachines", "Microsoft.Compute/disks");
        // Azure creates the OS disk with the VM and tags it with nothing; it is deleted with the VM
        assertThat(inGroup("rg-life")).filteredOn(r -> !r.type().equals("Microsoft.Compute/disks"))
                .allSatisfy(r -> assertThat(r.tags()).as(r.id()).containsEntry("azure-ssh-vm-owner", "tester@host")
                        .containsEntry("azure-ssh-vm-created", "2025-01-02T03:04:05Z")
                        .containsEntry("purpose", "test"));
        var vmModel = azure.compute().virtualMachines().getById(vm.vmResourceId());
        assertThat(vmModel.osProfile().linuxConfiguration().ssh().publicKeys())
                .extracting(key -> key.keyData().strip()).containsExactly(rsa.toLine(), ed25519.toLine());
        assertThat(vmModel.osProfile().computerName()).isEqualTo("vm-life");
        assertThat(vmModel.innerModel().networkProfile().networkInterfaces().get(0).deleteOption())
                .hasToString("Delete");

        String message = runCommand.runShellScript(vm, List.of("echo hello", "id -un"), TIMEOUT);
        long ran = System.nanoTime();
        assertThat(message).isEqualTo("Enable succeeded: \n[stdout]\nhello\nroot\n\n[stderr]\n\n");

        int beforeDelete = arm.requestLog().size();
        provisioner.delete(vm, TIMEOUT);
        long deleted = System.nanoTime();
        int deleteRequests = arm.requestLog().size() - beforeDelete;
        assertThat(inGroup("rg-life")).isEmpty();
        System.out.printf("own group: provision %d ms (%d ARM requests), run command %d ms, delete %d ms (%d)%n",
                millis(start, provisioned), provisionRequests, millis(provisioned, ran), millis(ran, deleted),
                deleteRequests);
    }

    @Test
    void aVmInAnExistingGroupIsDeletedResourceByResourceAndTheGroupStays() {
        int requestsBefore = arm.requestLog().size();
        long start = System.nanoTime();
        ProvisionedVm vm = provisioner.provision(spec("vm-shared").build(), TIMEOUT);
        long provisioned = System.nanoTime();
        int provisionRequests = arm.requestLog().size() - requestsBefore;
        assertThat(named("vm-shared")).hasSize(6);

        provisioner.delete(vm, TIMEOUT);
        long deleted = System.nanoTime();
        assertThat(named("vm-shared")).isEmpty();
        assertThat(arm.inventory()).extracting(LiveResource::id).anyMatch(id -> id.endsWith("/" + SHARED_GROUP));
        System.out.printf("existing group: provision %d ms, delete %d ms; %d ARM requests (%d to provision)%n",
                millis(start, provisioned), millis(provisioned, deleted),
                arm.requestLog().size() - requestsBefore, provisionRequests);
    }

    @Test
    void aFailingVmCreateDeletesTheNetworkItCreated() {
        ProvisionedVm first = provisioner.provision(spec("vm-twice").build(), TIMEOUT);
        azure.resources().resourceGroups().define("rg-other").withRegion(Emulators.REGION).create();

        // the emulator knows VMs by name across groups: a second one is a 409 Conflict, after the network exists
        ProvisioningException failure = catchThrowableOfType(() -> provisioner.provision(
                spec("vm-twice").resourceGroup("rg-other").build(), TIMEOUT), ProvisioningException.class);

        assertThat(failure.failedStep()).isEqualTo("creating VM vm-twice");
        assertThat(failure.getMessage()).startsWith("provisioning VM vm-twice failed while creating VM vm-twice: ")
                .contains("deleted network interface vm-twice-nic, virtual network vm-twice-vnet, "
                        + "public IP vm-twice-ip, network security group vm-twice-nsg")
                .doesNotContain("NOT deleted");
        assertThat(failure.left()).isEmpty();
        assertThat(inGroup("rg-other")).extracting(LiveResource::type)
                .containsExactly("Microsoft.Resources/resourceGroups");
        provisioner.delete(first, TIMEOUT);
    }

    @Test
    void aFailureInANewGroupDeletesTheGroup() {
        ProvisionedVm first = provisioner.provision(spec("vm-again").build(), TIMEOUT);

        ProvisioningException failure = catchThrowableOfType(() -> provisioner.provision(
                spec("vm-again").newResourceGroup("rg-again").build(), TIMEOUT), ProvisioningException.class);

        assertThat(failure.deleted()).containsExactly("resource group rg-again (with everything in it)");
        assertThat(inGroup("rg-again")).isEmpty();
        provisioner.delete(first, TIMEOUT);
    }

    @Test
    void keepOnFailureLeavesWhatWasCreatedAndListsIt() {
        ProvisionedVm first = provisioner.provision(spec("vm-kept").build(), TIMEOUT);
        azure.resources().resourceGroups().define("rg-kept").withRegion(Emulators.REGION).create();

        ProvisioningException failure = catchThrowableOfType(() -> provisioner.provision(
                spec("vm-kept").resourceGroup("rg-kept").keepOnFailure(true).build(), TIMEOUT),
                ProvisioningException.class);

        assertThat(failure.deleted()).isEmpty();
        assertThat(failure.left()).containsExactlyInAnyOrder("network security group vm-kept-nsg",
                "public IP vm-kept-ip", "virtual network vm-kept-vnet", "network interface vm-kept-nic");
        assertThat(inGroup("rg-kept")).hasSize(5);
        assertThat(failure.getMessage()).contains("kept as asked: ");
        provisioner.delete(first, TIMEOUT);
    }

    @Test
    void anExistingVmOfTheSameNameIsLeftAlone() {
        ProvisionedVm first = provisioner.provision(spec("vm-taken").build(), TIMEOUT);

        ProvisioningException failure = catchThrowableOfType(() -> provisioner.provision(spec("vm-taken").build(),
                TIMEOUT), ProvisioningException.class);

        assertThat(failure.getMessage()).contains("a VM vm-taken exists already in resource group rg-shared");
        assertThat(failure.deleted()).isEmpty();
        assertThat(named("vm-taken")).hasSize(6);
        provisioner.delete(first, TIMEOUT);
    }

    @Test
    void aVmInAnExistingSubnetRunsAndItsDeleteLeavesTheVirtualNetwork() {
        Network network = azure.network().networks().define("vnet-existing").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED_GROUP).withAddressSpace("10.1.0.0/16")
                .withSubnet("workers", "10.1.2.0/24").create();
        String subnetId = network.id() + "/subnets/workers";

        ProvisionedVm vm = provisioner.provision(spec("vm-insubnet").existingSubnet(subnetId).build(), TIMEOUT);

        assertThat(vm.virtualNetworkId()).isNull();
        assertThat(vm.privateIp()).startsWith("10.1.2.");
        assertThat(azure.network().networkInterfaces().getById(vm.networkInterfaceId()).primaryIPConfiguration()
                .subnetName()).isEqualTo("workers");
        assertThat(named("vm-insubnet")).extracting(LiveResource::type).containsExactlyInAnyOrder(
                "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/publicIPAddresses",
                "Microsoft.Network/networkInterfaces", "Microsoft.Compute/virtualMachines", "Microsoft.Compute/disks");
        assertThat(azure.compute().virtualMachines().getById(vm.vmResourceId()).powerState())
                .isEqualTo(PowerState.RUNNING);
        assertThat(runCommand.runShellScript(vm, List.of("echo in-subnet"), TIMEOUT)).contains("in-subnet");
        // looked up later (as the CLI's delete does), the network is not ours either
        assertThat(new VmLookup(azure).read(SHARED_GROUP, "vm-insubnet", TIMEOUT).virtualNetworkId()).isNull();

        provisioner.delete(vm, TIMEOUT);

        assertThat(named("vm-insubnet")).isEmpty();
        assertThat(arm.inventory()).extracting(LiveResource::id).contains(network.id());
        assertThat(azure.network().networks().getById(network.id()).subnets()).containsKey("workers");
    }

    @Test
    void aMissingExistingSubnetFailsAndDeletesWhatWasCreatedButNoNetwork() {
        azure.network().networks().define("vnet-nosubnet").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED_GROUP).withAddressSpace("10.2.0.0/16")
                .withSubnet("other", "10.2.0.0/24").create();
        String subnetId = "/subscriptions/" + arm.subscriptionId() + "/resourceGroups/" + SHARED_GROUP
                + "/providers/Microsoft.Network/virtualNetworks/vnet-nosubnet/subnets/missing";

        ProvisioningException failure = catchThrowableOfType(() -> provisioner.provision(
                spec("vm-nosubnet").existingSubnet(subnetId).build(), TIMEOUT), ProvisioningException.class);

        assertThat(failure.failedStep()).isEqualTo("reading subnet " + subnetId);
        assertThat(failure.getMessage()).contains("virtual network vnet-nosubnet has no subnet missing (it has: other)");
        assertThat(failure.deleted()).containsExactlyInAnyOrder("public IP vm-nosubnet-ip",
                "network security group vm-nosubnet-nsg");
        assertThat(named("vm-nosubnet")).isEmpty();
        assertThat(arm.inventory()).extracting(LiveResource::id).anyMatch(id -> id.endsWith("/vnet-nosubnet"));
    }

    @Test
    void aDnsLabelGivesThePublicIpItsFqdn() {
        ProvisionedVm vm = provisioner.provision(spec("vm-dns").dnsLabel("azssh-dns-test").build(), TIMEOUT);

        assertThat(vm.fqdn()).isEqualTo("azssh-dns-test.westeurope.cloudapp.azure.com");
        assertThat(azure.network().publicIpAddresses().getById(vm.publicIpId()).leafDomainLabel())
                .isEqualTo("azssh-dns-test");
        ProvisionedVm lookedUp = new VmLookup(azure).read(SHARED_GROUP, "vm-dns", TIMEOUT);
        assertThat(lookedUp.fqdn()).isEqualTo(vm.fqdn());
        // a network we created, found again by lookup, is ours to delete
        assertThat(lookedUp.virtualNetworkId()).isNotNull().isEqualTo(vm.virtualNetworkId());

        provisioner.delete(vm, TIMEOUT);
        assertThat(named("vm-dns")).isEmpty();
    }

    @Test
    void runCommandRetriesWhileTheVmAgentIsNotReady() throws Exception {
        ProvisionedVm vm = provisioner.provision(spec("vm-agent").build(), TIMEOUT);
        arm.attack("vm-agent", Attack.RunCommandFault.AGENT_NOT_READY);
        CompletableFuture<Void> agentReady = CompletableFuture.runAsync(() -> {
            try {
                arm.attack("vm-agent");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));

        String message = runCommand.runShellScript(vm.vmResourceId(), List.of("echo ready"), TIMEOUT);

        agentReady.join();
        assertThat(message).startsWith("Enable succeeded: \n[stdout]\nready\n");
        provisioner.delete(vm, TIMEOUT);
    }

    @Test
    void runCommandGivesUpAtTheDeadlineNamingTheVm() throws Exception {
        ProvisionedVm vm = provisioner.provision(spec("vm-noagent").build(), TIMEOUT);
        arm.attack("vm-noagent", Attack.RunCommandFault.AGENT_NOT_READY);

        AzureVmException failure = catchThrowableOfType(() -> runCommand.runShellScript(vm, List.of("true"),
                Duration.ofSeconds(3)), AzureVmException.class);

        assertThat(failure.getMessage()).startsWith("run command on VM vm-noagent (resource group rg-shared)")
                .containsAnyOf("VM agent was not ready within 3 s", "did not finish within 3 s");
        provisioner.delete(vm, TIMEOUT);
    }

    @Test
    void runCommandOnAMissingVmNamesIt() {
        AzureVmException failure = catchThrowableOfType(() -> runCommand.runShellScript(SHARED_GROUP, "vm-nowhere",
                List.of("true"), TIMEOUT), AzureVmException.class);

        assertThat(failure.getMessage()).startsWith("run command on VM vm-nowhere (resource group rg-shared) failed: ")
                .contains("ResourceNotFound");
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
