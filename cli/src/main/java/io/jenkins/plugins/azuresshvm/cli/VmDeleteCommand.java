package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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

    @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = "Resource group.")
    String resourceGroup;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "VM name.")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Really delete.")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT15M",
            description = "For the whole deletion (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (!yes) {
            throw new IllegalArgumentException("not deleting VM " + name + " (resource group " + resourceGroup
                    + ") and its disk, NIC, public IP, NSG and virtual network: add --yes to delete them");
        }
        AzureAccess azure = vm.azssh.azure();
        if (new VmLookup(azure).owner(resourceGroup, name, timeout) == null) {
            throw new IllegalArgumentException("not deleting VM " + name + " (resource group " + resourceGroup
                    + "): it has no " + AzureVmProvisioner.OWNER_TAG + " tag, so it and its network were not"
                    + " created by azssh; delete it with the Azure tools");
        }
        StepPrinter steps = new StepPrinter(spec.commandLine().getErr(), 1);
        steps.start("Deleting VM " + name + " and its disk, NIC, public IP, NSG and virtual network");
        try {
            ProvisionedVm target = new VmLookup(azure).read(resourceGroup, name, timeout);
            new AzureVmProvisioner(azure).delete(target, timeout);
            steps.done();
        } catch (Exception | Error e) {
            steps.failed();
            throw e;
        }
        boolean unpinned = PinStore.of(vm.azssh.environment()).delete(azure.subscriptionId(), resourceGroup, name);
        spec.commandLine().getOut().println("Deleted VM " + name + (unpinned ? " and its pinned host keys" : ""));
        return 0;
    }
}
