package io.jenkins.plugins.azuresshvm.agents;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.plugins.sshslaves.verifiers.SshHostKeyVerificationStrategy;
import hudson.slaves.SlaveComputer;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyVerification;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * What this plugin's host-key verification strategies share: the expected keys are known before the key exchange, so
 * only their algorithms are offered, and each verdict is written to the agent log — a refusal as an error naming the
 * expected and presented fingerprints.
 */
public abstract class AzureHostKeyVerificationStrategy extends SshHostKeyVerificationStrategy {
    /** Starts every line these strategies write to an agent's log. */
    static final String PREFIX = "[azure-ssh-vm] ";

    /**
     * The host key algorithms of the expected keys that the SSH client supports, in the keys' order.
     *
     * @param vm names the VM in the error
     * @throws AbortException when the client supports none of them: the launch fails before connecting
     */
    protected final String[] offered(SlaveComputer computer, List<String> expected, String vm) throws IOException {
        List<String> supported = Arrays.asList(super.getPreferredKeyAlgorithms(computer));
        String[] offered = expected.stream().filter(supported::contains).toArray(String[]::new);
        if (offered.length == 0) {
            throw new AbortException(PREFIX + "the SSH client supports none of the host key algorithms of VM " + vm
                    + " (" + expected + "); not connecting");
        }
        return offered;
    }

    /** Writes the verdict to the agent log and returns whether the key is accepted. */
    protected static boolean logged(PinnedHostKeyVerification.Verdict verdict, TaskListener listener) {
        if (verdict.accepted()) {
            listener.getLogger().println(PREFIX + verdict.explanation());
        } else {
            listener.error(PREFIX + "REFUSED: " + verdict.explanation()
                    + ". This may be a man-in-the-middle attack; the agent stays offline.");
        }
        return verdict.accepted();
    }
}
