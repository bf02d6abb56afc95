package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeScript;
import java.time.Duration;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

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
        try {
            return probing(resourceGroup, vmName, timeout).block();
        } catch (RuntimeException e) {
            if (Exceptions.unwrap(e) instanceof HostKeyProbeException untrustworthy) {
                throw untrustworthy;
            }
            throw e;
        }
    }

    /**
     * {@link #probe(ProvisionedVm, Duration)} without a thread waiting for it: fails with the exceptions it throws.
     */
    Mono<ExpectedHostKeys> probing(ProvisionedVm vm, Duration timeout) {
        return probing(vm.resourceGroup(), vm.name(), timeout);
    }

    private Mono<ExpectedHostKeys> probing(String resourceGroup, String vmName, Duration timeout) {
        return Mono.defer(() -> {
            HostKeyProbeScript script = HostKeyProbeScript.create();
            return runCommand.running(resourceGroup, vmName, script.lines(), timeout).handle((message, sink) -> {
                try {
                    ExpectedHostKeys keys = script.parse(message);
                    sink.next(ExpectedHostKeys.of(keys.keys(), "run-command on VM " + vmName));
                } catch (HostKeyProbeException e) {
                    sink.error(new HostKeyProbeException("host key probe of VM " + vmName + " failed: "
                            + e.getMessage(), e));
                }
            });
        });
    }
}
