package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh vm hostkeys}: the host keys of an existing VM, learned through run-command. */
@Command(
        name = "hostkeys",
        mixinStandardHelpOptions = true,
        description = {
            "Learn the SSH host keys of an existing VM through run-command (the VM agent reads them from disk;",
            "nothing is taken from the network) and print them as ssh-keygen -l lines and known_hosts lines."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:host keys printed", "1:an error (the probe's output is never trusted partially)",
            "2:invalid usage"})
final class VmHostKeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    VmName vmName;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "For the reads and the probe (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        AzureAccess azure = vm.azssh.azure();
        ProvisionedVm target = new VmLookup(azure).read(vmName.resourceGroup, vmName.name, timeout);
        ExpectedHostKeys keys = new RunCommandHostKeyProbe(new RunCommand(azure))
                .probe(vmName.resourceGroup, vmName.name, timeout);
        HostKeyReport.print(spec.commandLine().getOut(), keys, target.host(), target.sshPort());
        return 0;
    }
}
