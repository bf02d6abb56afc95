package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh vm delete}: the VM, what was created with it, and its pin. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete a VM and its OS disk, NIC, public IP, NSG and virtual network (the resource group stays),",
            "and its pinned host keys. Refuses without --yes."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:deleted", "1:an error, or no --yes", "2:invalid usage"})
final class VmDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    VmName vmName;

    @Option(names = {"-y", "--yes"}, description = "Really delete.")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT15M",
            description = "For the whole deletion (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (!yes) {
            throw new IllegalArgumentException("not deleting VM " + vmName.name + " (resource group "
                    + vmName.resourceGroup + ") and its disk, NIC, public IP, NSG and virtual network: add --yes to delete them");
        }
        AzureAccess azure = vm.azssh.azure();
        if (new VmLookup(azure).owner(vmName.resourceGroup, vmName.name, timeout) == null) {
            throw new IllegalArgumentException("not deleting VM " + vmName.name + " (resource group "
                    + vmName.resourceGroup + "): it has no " + AzureVmProvisioner.OWNER_TAG + " tag, so it and its network were not"
                    + " created by azssh; delete it with the Azure tools");
        }
        StepPrinter steps = new StepPrinter(spec.commandLine().getErr(), 1);
        steps.start("Deleting VM " + vmName.name + " and its disk, NIC, public IP, NSG and virtual network");
        ProvisionedVm target;
        try {
            target = new VmLookup(azure).read(vmName.resourceGroup, vmName.name, timeout);
            new AzureVmProvisioner(azure).delete(target, timeout);
            steps.done();
        } catch (Exception | Error e) {
            steps.failed();
            throw e;
        }
        boolean unpinned = PinStore.of(vm.azssh.environment())
                .delete(azure.subscriptionId(), vmName.resourceGroup, vmName.name);
        vm.azssh.print(spec.commandLine().getOut(),
                out -> out.println("Deleted VM " + vmName.name + (unpinned ? " and its pinned host keys" : "")),
                () -> new Json(target.resourceGroup(), target.name(), target.vmId(), Stream.of(target.vmResourceId(),
                        target.osDiskId(), target.networkInterfaceId(), target.publicIpId(),
                        target.networkSecurityGroupId(), target.virtualNetworkId()).filter(Objects::nonNull).toList(),
                        unpinned));
        return 0;
    }

    /**
     * {@code azssh vm delete --output json}.
     *
     * @param resourceGroup the VM's resource group (it stays)
     * @param name the VM name
     * @param vmId Azure's id of the deleted VM instance
     * @param deleted the ARM ids of what was deleted: the VM, its OS disk, NIC, public IP, NSG and virtual network
     *     (those it had)
     * @param unpinned whether a pin was removed
     */
    record Json(String resourceGroup, String name, String vmId, List<String> deleted, boolean unpinned) {}
}
