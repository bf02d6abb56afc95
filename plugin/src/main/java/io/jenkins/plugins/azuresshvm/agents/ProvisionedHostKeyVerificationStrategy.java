package io.jenkins.plugins.azuresshvm.agents;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.TaskListener;
import hudson.plugins.sshslaves.verifiers.HostKey;
import hudson.plugins.sshslaves.verifiers.SshHostKeyVerificationStrategy;
import hudson.slaves.SlaveComputer;
import io.jenkins.plugins.azuresshvm.azure.HeldHostKeys;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyVerification;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Verifies an agent of {@link AzureVmCloud} against the host keys learned when its VM was provisioned (run-command,
 * or pre-seeded keys that run-command cross-checks), which it holds: a launch compares key blobs locally and runs no
 * second run-command. Offers only the held keys' algorithms; anything else, or no readable keys, is refused.
 */
public class ProvisionedHostKeyVerificationStrategy extends SshHostKeyVerificationStrategy {
    private static final String PREFIX = "[azure-ssh-vm] ";

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
        HeldHostKeys held = held(computer);
        List<String> supported = Arrays.asList(super.getPreferredKeyAlgorithms(computer));
        String[] offered = held.hostKeyAlgorithms().stream().filter(supported::contains).toArray(String[]::new);
        if (offered.length == 0) {
            throw new AbortException(PREFIX + "the SSH client supports none of the host key algorithms of VM "
                    + computer.getName() + " (" + held.hostKeyAlgorithms() + "); not connecting");
        }
        computer.getListener().getLogger().println(PREFIX + "Verifying against " + held.keys());
        return offered;
    }

    @Override
    public boolean verify(SlaveComputer computer, HostKey hostKey, TaskListener listener) {
        HeldHostKeys held;
        try {
            held = held(computer);
        } catch (AbortException e) {
            listener.error(e.getMessage());
            return false;
        }
        PinnedHostKeyVerification.Verdict verdict = held.verify(hostKey.getAlgorithm(), hostKey.getKey());
        if (verdict.accepted()) {
            listener.getLogger().println(PREFIX + verdict.explanation());
        } else {
            listener.error(PREFIX + "REFUSED: " + verdict.explanation()
                    + ". This may be a man-in-the-middle attack; the agent stays offline.");
        }
        return verdict.accepted();
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
