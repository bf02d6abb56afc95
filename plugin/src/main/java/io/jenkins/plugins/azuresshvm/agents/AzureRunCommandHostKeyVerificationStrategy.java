package io.jenkins.plugins.azuresshvm.agents;

import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.plugins.sshslaves.verifiers.HostKey;
import hudson.plugins.sshslaves.verifiers.SshHostKeyVerificationStrategy;
import hudson.slaves.SlaveComputer;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyResolver;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyVerification;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.steps.CredentialsListBox;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Verifies an SSH build agent's host key against what Azure run-command reports from inside the VM. The expected keys
 * are decided before the connection, in {@link #getPreferredKeyAlgorithms} (core's PINNED rule: the keys pinned to
 * the VM's {@code vmId} on the first verified connection, or a new run-command probe when the VM was re-created),
 * so that {@link #verify}, which runs inside the key exchange, only compares key blobs. Fails closed.
 */
public class AzureRunCommandHostKeyVerificationStrategy extends SshHostKeyVerificationStrategy {
    /** How long reading the VM and, when needed, probing it may take before a connection. */
    static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(3);
    private static final String PREFIX = "[azure-ssh-vm] ";
    /** The expected keys of the connection being opened, per agent; filled before the key exchange. */
    private static final Map<SlaveComputer, PinnedHostKeyVerification.Prepared> PREPARED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final String azureCredentialsId;
    private final String resourceGroup;
    private final String vmName;

    @DataBoundConstructor
    public AzureRunCommandHostKeyVerificationStrategy(String azureCredentialsId, String resourceGroup,
            String vmName) {
        this.azureCredentialsId = Util.fixEmptyAndTrim(azureCredentialsId);
        this.resourceGroup = Util.fixEmptyAndTrim(resourceGroup);
        this.vmName = Util.fixEmptyAndTrim(vmName);
    }

    @CheckForNull
    public String getAzureCredentialsId() {
        return azureCredentialsId;
    }

    @CheckForNull
    public String getResourceGroup() {
        return resourceGroup;
    }

    @CheckForNull
    public String getVmName() {
        return vmName;
    }

    /**
     * Decides the keys this connection must present (a read of the VM; a run-command probe only without a pin for
     * this {@code vmId}) and offers only their algorithms. Any failure aborts the launch before connecting.
     */
    @Override
    public String[] getPreferredKeyAlgorithms(SlaveComputer computer) throws IOException {
        PREPARED.remove(computer);
        Node node = computer.getNode();
        if (node == null) {
            throw new AbortException(PREFIX + "agent " + computer.getName() + " has no node; not connecting");
        }
        if (azureCredentialsId == null || resourceGroup == null || vmName == null) {
            throw new AbortException(PREFIX + "host key verification of agent " + node.getNodeName()
                    + " needs an Azure credential, a resource group and a VM name; not connecting");
        }
        TaskListener listener = computer.getListener();
        listener.getLogger().println(PREFIX + "Resolving the host keys of VM " + vmName + " (resource group "
                + resourceGroup + ") before connecting");
        PinnedHostKeyVerification.Prepared prepared;
        try {
            AzureAccess azure = AzureConnector.get().connect(azureCredentialsId, node);
            RunCommandHostKeyProbe probe = new RunCommandHostKeyProbe(new RunCommand(azure));
            prepared = new PinnedHostKeyVerification(new PinnedHostKeyResolver(new VmLookup(azure), probe))
                    .prepare(resourceGroup, vmName, new NodePinFile(node), RESOLVE_TIMEOUT);
        } catch (KeyFormatException e) {
            throw new AbortException(PREFIX + "the pinned host keys of agent " + node.getNodeName()
                    + " are unreadable (" + e.getMessage() + "); an administrator must delete the file to re-pin;"
                    + " not connecting");
        } catch (HostKeyProbeException | AzureVmException e) {
            throw new AbortException(PREFIX + "cannot learn the host keys of VM " + vmName + ": " + e.getMessage()
                    + "; not connecting");
        }
        listener.getLogger().println(PREFIX + (prepared.repinned()
                ? "Learned via run-command (to be pinned to vmId " + prepared.vmId() + " once verified): "
                : "Pinned to vmId " + prepared.vmId() + ": ") + prepared.keys());
        List<String> supported = Arrays.asList(super.getPreferredKeyAlgorithms(computer));
        String[] offered = prepared.hostKeyAlgorithms().stream().filter(supported::contains).toArray(String[]::new);
        if (offered.length == 0) {
            throw new AbortException(PREFIX + "the SSH client supports none of the host key algorithms of VM "
                    + vmName + " (" + prepared.hostKeyAlgorithms() + "); not connecting");
        }
        PREPARED.put(computer, prepared);
        return offered;
    }

    /** Compares the presented key with the one decided before the connection; refuses when there is none. */
    @Override
    public boolean verify(SlaveComputer computer, HostKey hostKey, TaskListener listener) throws IOException {
        PinnedHostKeyVerification.Prepared prepared = PREPARED.get(computer);
        if (prepared == null) {
            listener.error(PREFIX + "no host keys of VM " + vmName + " were resolved for this connection; refusing "
                    + hostKey.getAlgorithm() + " key");
            return false;
        }
        PinnedHostKeyVerification.Verdict verdict = prepared.verify(hostKey.getAlgorithm(), hostKey.getKey());
        if (verdict.accepted()) {
            listener.getLogger().println(PREFIX + verdict.explanation());
        } else {
            listener.error(PREFIX + "REFUSED: " + verdict.explanation()
                    + ". This may be a man-in-the-middle attack; the agent stays offline.");
        }
        return verdict.accepted();
    }

    @Extension
    @Symbol("azureRunCommand")
    public static class DescriptorImpl extends SshHostKeyVerificationStrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Verify against Azure run-command";
        }

        /** Jenkins-level Azure credentials (where the strategy looks them up), listed only for administrators. */
        @POST
        public ListBoxModel doFillAzureCredentialsIdItems(@QueryParameter String azureCredentialsId) {
            return CredentialsListBox.of(null, AzureBaseCredentials.class, azureCredentialsId);
        }

        @POST
        public FormValidation doCheckAzureCredentialsId(@QueryParameter String value) {
            return required(value, "an Azure credential");
        }

        @POST
        public FormValidation doCheckResourceGroup(@QueryParameter String value) {
            return required(value, "the VM's resource group");
        }

        @POST
        public FormValidation doCheckVmName(@QueryParameter String value) {
            return required(value, "the VM's name");
        }

        private static FormValidation required(String value, String what) {
            if (!Jenkins.get().hasPermission(Computer.CONFIGURE)) {
                return FormValidation.ok();
            }
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Required: " + what) : FormValidation.ok();
        }
    }
}
