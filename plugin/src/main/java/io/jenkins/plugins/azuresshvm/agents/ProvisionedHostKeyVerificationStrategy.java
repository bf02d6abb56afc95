package io.jenkins.plugins.azuresshvm.agents;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.TaskListener;
import hudson.plugins.sshslaves.verifiers.HostKey;
import hudson.slaves.SlaveComputer;
import io.jenkins.plugins.azuresshvm.azure.HeldHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.IOException;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Verifies an agent of {@link AzureVmCloud} against the host keys learned when its VM was provisioned (run-command,
 * or pre-seeded keys that run-command cross-checks), which it holds: a launch compares key blobs locally and runs no
 * second run-command. Offers only the held keys' algorithms; anything else, no readable keys, or a VM whose pre-seeded
 * keys run-command did not confirm ({@link RefusedVms}), is refused.
 */
public class ProvisionedHostKeyVerificationStrategy extends AzureHostKeyVerificationStrategy {
    private final String hostKeys;

    /** @param hostKeys one {@code algorithm base64} line per key, as {@link HeldHostKeys#toText()} writes them */
    @DataBoundConstructor
    public ProvisionedHostKeyVerificationStrategy(String hostKeys) {
        this.hostKeys = hostKeys;
    }

    public String getHostKeys() {
        return hostKeys;
    }

    /** Offers only the algorithms of the held keys; fails the launch when they cannot be read. */
    @Override
    public String[] getPreferredKeyAlgorithms(SlaveComputer computer) throws IOException {
        String refused = RefusedVms.reason(computer.getName());
        if (refused != null) {
            throw new AbortException(refused + "; not connecting");
        }
        HeldHostKeys held = held(computer);
        String[] offered = offered(computer, held.hostKeyAlgorithms(), computer.getName());
        computer.getListener().getLogger().println(PREFIX + "Verifying against " + held.keys());
        return offered;
    }

    @Override
    public boolean verify(SlaveComputer computer, HostKey hostKey, TaskListener listener) {
        String refused = RefusedVms.reason(computer.getName());
        if (refused != null) {
            listener.error(refused);
            return false;
        }
        HeldHostKeys held;
        try {
            held = held(computer);
        } catch (AbortException e) {
            listener.error(e.getMessage());
            return false;
        }
        return logged(held.verify(hostKey.getAlgorithm(), hostKey.getKey()), listener);
    }

    private HeldHostKeys held(SlaveComputer computer) throws AbortException {
        try {
            return HeldHostKeys.parse(computer.getName(), hostKeys);
        } catch (KeyFormatException e) {
            throw new AbortException(PREFIX + e.getMessage() + "; not connecting");
        }
    }

    @Extension
    @Symbol("azureProvisioned")
    public static class DescriptorImpl extends SshHostKeyVerificationStrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Host keys learned when Azure provisioned the VM";
        }
    }
}
