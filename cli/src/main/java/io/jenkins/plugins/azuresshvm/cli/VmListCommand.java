package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.OwnedVms;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh vm list}: the VMs azssh created for this user, by their owner tag. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {"List the VMs of one owner (default: the ones azssh created as you) in the subscription:",
            "name, resource group, location, creation time and address."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:listed (maybe none)", "1:an error", "2:invalid usage"})
final class VmListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Option(names = "--owner", paramLabel = "ID",
            description = "The owner tag to look for. Default: azssh:<user>@<host>, what 'azssh vm create' sets.")
    String owner;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT2M",
            description = "ISO-8601. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        String ownerId = owner != null ? owner : LocalUser.ownerId();
        List<OwnedVms.OwnedVm> vms = new OwnedVms(vm.azssh.azure()).list(ownerId, timeout);
        vm.azssh.print(spec.commandLine().getOut(), out -> print(out, vms), () -> new Json(ownerId,
                vms.stream().map(one -> new Json.Vm(one.name(), one.resourceGroup(), one.location(),
                        one.created() != null ? one.created().toString() : null, one.host())).toList()));
        return 0;
    }

    private static void print(PrintWriter out, List<OwnedVms.OwnedVm> vms) {
        String format = "%-24s %-20s %-14s %-20s %s%n";
        out.printf(format, "NAME", "RESOURCE GROUP", "LOCATION", "CREATED", "HOST");
        for (OwnedVms.OwnedVm one : vms) {
            out.printf(format, one.name(), one.resourceGroup(), one.location(),
                    one.created() != null ? one.created() : "-", one.host() != null ? one.host() : "-");
        }
    }

    /**
     * {@code azssh vm list --output json}.
     *
     * @param owner the owner tag looked for
     * @param vms its VMs, sorted by resource group and name
     */
    record Json(String owner, List<Vm> vms) {
        /**
         * One VM.
         *
         * @param created the creation tag (ISO-8601, UTC), or {@code null} when unreadable
         * @param host the public IP, else the private one, or {@code null} when unknown
         */
        record Vm(String name, String resourceGroup, String location, String created, String host) {}
    }
}
