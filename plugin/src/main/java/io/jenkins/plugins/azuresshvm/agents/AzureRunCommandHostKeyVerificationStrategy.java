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
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.plugins.sshslaves.verifiers.HostKey;
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
import java.time.Instant;
import java.util.Collections;
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
 * so that {@link #verify}, which runs inside the key exchange, only compares key blobs. Without a VM name, the VM is
 * the one whose address or public DNS name is the host of the agent's SSH launcher. Fails closed.
 */
public class AzureRunCommandHostKeyVerificationStrategy extends AzureHostKeyVerificationStrategy {
    /** How long reading the VM and, when needed, probing it may take before a connection. */
    static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(3);
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
        if (azureCredentialsId == null) {
            throw new AbortException(PREFIX + "host key verification of agent " + node.getNodeName()
                    + " needs an Azure credential; not connecting");
        }
        if (vmName != null && resourceGroup == null) {
            throw new AbortException(PREFIX + "VM " + vmName + " of agent " + node.getNodeName()
                    + " needs its resource group; not connecting");
        }
        TaskListener listener = computer.getListener();
        Instant deadline = Instant.now().plus(RESOLVE_TIMEOUT);
        String vm = vmName == null ? "of agent " + node.getNodeName() : vmName;
        PinnedHostKeyVerification.Prepared prepared;
        try {
            AzureAccess azure = AzureConnector.get().connect(azureCredentialsId, node);
            VmLookup lookup = new VmLookup(azure);
            VmLookup.VmRef target = vmName == null ? findByHost(computer, lookup, listener, left(deadline))
                    : new VmLookup.VmRef(resourceGroup, vmName);
            vm = target.name();
            listener.getLogger().println(PREFIX + "Resolving the host keys of VM " + target.name()
                    + " (resource group " + target.resourceGroup() + ") before connecting");
            RunCommandHostKeyProbe probe = new RunCommandHostKeyProbe(new RunCommand(azure));
            prepared = new PinnedHostKeyVerification(new PinnedHostKeyResolver(lookup, probe)).prepare(
                    target.resourceGroup(), target.name(), new NodePinFile(node), left(deadline));
        } catch (KeyFormatException e) {
            throw new AbortException(PREFIX + "the pinned host keys of agent " + node.getNodeName()
                    + " are unreadable (" + e.getMessage() + "); an administrator must delete the file to re-pin;"
                    + " not connecting");
        } catch (HostKeyProbeException | AzureVmException e) {
            throw new AbortException(PREFIX + "cannot learn the host keys of VM " + vm + ": " + e.getMessage()
                    + "; not connecting");
        }
        listener.getLogger().println(PREFIX + (prepared.repinned()
                ? "Learned via run-command (to be pinned to vmId " + prepared.vmId() + " once verified): "
                : "Pinned to vmId " + prepared.vmId() + ": ") + prepared.keys());
        String[] offered = offered(computer, prepared.hostKeyAlgorithms(), vm);
        PREPARED.put(computer, prepared);
        return offered;
    }

    /**
     * The VM whose address or public DNS name is the host the agent's SSH launcher connects to, in the resource
     * group when one is set, else in the whole subscription.
     */
    private VmLookup.VmRef findByHost(SlaveComputer computer, VmLookup lookup, TaskListener listener,
            Duration timeout) throws AbortException {
        String host = computer.getDelegatedLauncher() instanceof SSHLauncher ssh ? Util.fixEmptyAndTrim(ssh.getHost())
                : null;
        if (host == null) {
            throw new AbortException(PREFIX + "agent " + computer.getName() + " has no SSH launcher host to find its"
                    + " VM by; name the VM; not connecting");
        }
        listener.getLogger().println(PREFIX + "Finding the VM with address " + host + " in "
                + (resourceGroup == null ? "the subscription" : "resource group " + resourceGroup));
        VmLookup.VmRef found = lookup.byAddress(host, resourceGroup, timeout);
        listener.getLogger().println(PREFIX + "Address " + host + " belongs to VM " + found.name()
                + " (resource group " + found.resourceGroup() + ")");
        return found;
    }

    private static Duration left(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AzureVmException("the " + RESOLVE_TIMEOUT.toMinutes() + " minutes to resolve the host keys ran out");
        }
        return left;
    }

    /** Compares the presented key with the one decided before the connection; refuses when there is none. */
    @Override
    public boolean verify(SlaveComputer computer, HostKey hostKey, TaskListener listener) throws IOException {
        PinnedHostKeyVerification.Prepared prepared = PREPARED.get(computer);
        if (prepared == null) {
            listener.error(PREFIX + "no host keys of the agent's VM were resolved for this connection; refusing "
                    + hostKey.getAlgorithm() + " key");
            return false;
        }
        return logged(prepared.verify(hostKey.getAlgorithm(), hostKey.getKey()), listener);
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

        /** A VM name needs its resource group; without one the group only narrows the search by address. */
        @POST
        public FormValidation doCheckResourceGroup(@QueryParameter String value, @QueryParameter String vmName) {
            if (!Jenkins.get().hasPermission(Computer.CONFIGURE) || Util.fixEmptyAndTrim(vmName) == null) {
                return FormValidation.ok();
            }
            return required(value, "the resource group of VM " + vmName.strip());
        }

        @POST
        public FormValidation doCheckVmName(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Computer.CONFIGURE) || Util.fixEmptyAndTrim(value) != null) {
                return FormValidation.ok();
            }
            return FormValidation.ok("The VM whose IP address or public DNS name is the agent's host will be used");
        }

        private static FormValidation required(String value, String what) {
            if (!Jenkins.get().hasPermission(Computer.CONFIGURE)) {
                return FormValidation.ok();
            }
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Required: " + what) : FormValidation.ok();
        }
    }
}
