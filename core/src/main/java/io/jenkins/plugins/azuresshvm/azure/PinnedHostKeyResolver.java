package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import java.time.Duration;

/**
 * The {@code PINNED} rule, shared by the CLI and the Jenkins agent strategy: before connecting, read the VM's
 * {@code vmId} (one GET). The same VM keeps its pin, and a server presenting another key is then refused as an attack
 * (only an administrator clears a pin). A re-created VM (another {@code vmId} under the same name), or no pin yet, is
 * probed through run-command and pinned anew.
 */
public final class PinnedHostKeyResolver {
    private final VmLookup lookup;
    private final RunCommandHostKeyProbe probe;

    public PinnedHostKeyResolver(VmLookup lookup, RunCommandHostKeyProbe probe) {
        this.lookup = lookup;
        this.probe = probe;
    }

    /**
     * The keys to verify the VM with.
     *
     * @param pin the pin to verify with; when {@code repinned}, a new one the caller stores after a connection
     *     verified with it succeeds
     * @param repinned whether the keys were probed because there was no pin, or it was made for another VM
     */
    public record Resolution(PinnedHostKeys pin, boolean repinned) {}

    /**
     * Keeps {@code pin} when it was made for the VM now under this name, else probes the VM and pins its keys to its
     * {@code vmId}. The {@code vmId} is read again after a probe: keys are never pinned to a VM they were not read
     * from.
     *
     * @param pin the stored pin, or {@code null} when there is none
     * @throws HostKeyProbeException when the probe's output cannot be trusted
     * @throws AzureVmException when the VM cannot be read or run-command fails, or the VM was re-created meanwhile
     */
    public Resolution resolve(String resourceGroup, String vmName, PinnedHostKeys pin, Duration timeout)
            throws HostKeyProbeException {
        Deadline deadline = Deadline.after(timeout);
        String what = "resolving the host keys of VM " + vmName;
        String vmId = lookup.vmId(resourceGroup, vmName, left(deadline, what));
        if (pin != null && pin.decide(vmId) == PinnedHostKeys.Decision.USE_PIN) {
            return new Resolution(pin, false);
        }
        ExpectedHostKeys keys = probe.probe(resourceGroup, vmName, left(deadline, what));
        String vmIdAfter = lookup.vmId(resourceGroup, vmName, left(deadline, what));
        if (!vmId.equals(vmIdAfter)) {
            throw new AzureVmException("VM " + vmName + " (resource group " + resourceGroup + ") was re-created while"
                    + " its host keys were probed (vmId " + vmId + ", now " + vmIdAfter + "); nothing pinned");
        }
        return new Resolution(new PinnedHostKeys(vmId, keys), true);
    }

    private static Duration left(Deadline deadline, String what) {
        if (deadline.passed()) {
            throw deadline.expired(what);
        }
        return deadline.remaining();
    }
}
