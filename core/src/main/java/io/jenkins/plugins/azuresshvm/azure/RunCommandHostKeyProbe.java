package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeScript;
import java.time.Duration;

/**
 * Learns a VM's SSH host keys out of band: one run-command prints every {@code /etc/ssh/ssh_host_*_key.pub} between
 * markers unique to this probe, and its output is parsed strictly ({@link HostKeyProbeScript}). Never "no keys, so
 * accept": anything unexpected fails the probe.
 */
public final class RunCommandHostKeyProbe {
    private final RunCommand runCommand;

    public RunCommandHostKeyProbe(RunCommand runCommand) {
        this.runCommand = runCommand;
    }

    /**
     * The VM's host keys, retrying while its agent is not ready, within {@code timeout}.
     *
     * @throws HostKeyProbeException when the output cannot be trusted (empty, cut short, extra or malformed keys)
     * @throws AzureVmException when run-command itself fails or times out
     */
    public ExpectedHostKeys probe(ProvisionedVm vm, Duration timeout) throws HostKeyProbeException {
        return probe(vm.resourceGroup(), vm.name(), timeout);
    }

    /** {@link #probe(ProvisionedVm, Duration)} of an existing VM, known by its group and name. */
    public ExpectedHostKeys probe(String resourceGroup, String vmName, Duration timeout)
            throws HostKeyProbeException {
        HostKeyProbeScript script = HostKeyProbeScript.create();
        String message = runCommand.runShellScript(resourceGroup, vmName, script.lines(), timeout);
        try {
            ExpectedHostKeys keys = script.parse(message);
            return ExpectedHostKeys.of(keys.keys(), "run-command on VM " + vmName);
        } catch (HostKeyProbeException e) {
            throw new HostKeyProbeException("host key probe of VM " + vmName + " failed: " + e.getMessage(), e);
        }
    }
}
