package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import java.time.Duration;
import java.util.List;
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
        vm.azssh.print(spec.commandLine().getOut(),
                out -> HostKeyReport.print(out, keys, target.host(), target.sshPort()),
                () -> new Json(target.resourceGroup(), target.name(), target.vmId(), target.host(), target.sshPort(),
                        keys.keys().stream().map(PublicKeyJson::of).toList(),
                        keys.knownHostsLines(target.host(), target.sshPort())));
        return 0;
    }

    /**
     * {@code azssh vm hostkeys --output json}.
     *
     * @param resourceGroup the VM's resource group
     * @param name the VM name
     * @param vmId Azure's id of this VM instance
     * @param host its public IP, else its private IP
     * @param sshPort its SSH port
     * @param hostKeys the host keys learned through run-command
     * @param knownHosts known_hosts lines for them
     */
    record Json(String resourceGroup, String name, String vmId, String host, int sshPort, List<PublicKeyJson> hostKeys,
            List<String> knownHosts) {}
}
