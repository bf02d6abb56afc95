package io.jenkins.plugins.azuresshvm.agents;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Computer;
import hudson.model.Descriptor;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;
import hudson.slaves.CloudRetentionStrategy;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.steps.StoredVm;
import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * An agent on a VM that an {@link AzureVmCloud} created: launched by {@link SSHLauncher} with a
 * {@link ProvisionedHostKeyVerificationStrategy}, deleted with everything created with its VM once idle for the
 * template's minutes ({@link CloudRetentionStrategy}). It keeps its VM's identity ({@link StoredVm}), so that the
 * deletion works after a controller restart.
 */
public class AzureVmAgent extends AbstractCloudSlave {
    private static final Logger LOGGER = Logger.getLogger(AzureVmAgent.class.getName());
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(15);

    private final String cloudName;
    private final String azureCredentialsId;
    private final StoredVm vm;

    AzureVmAgent(@NonNull ProvisionedVm vm, @NonNull String cloudName, @NonNull String azureCredentialsId,
            @NonNull AzureVmAgentTemplate template, @NonNull SSHLauncher launcher)
            throws Descriptor.FormException, IOException {
        super(vm.name(), template.effectiveRemoteFs(), launcher);
        this.cloudName = cloudName;
        this.azureCredentialsId = azureCredentialsId;
        this.vm = new StoredVm(vm);
        setNodeDescription("Azure VM " + vm.name() + " (resource group " + vm.resourceGroup() + ") of cloud "
                + cloudName);
        setNumExecutors(template.getNumExecutors());
        setLabelString(template.getLabels());
        setMode(Mode.EXCLUSIVE);
        setRetentionStrategy(new CloudRetentionStrategy(template.getIdleMinutes()));
    }

    public String getCloudName() {
        return cloudName;
    }

    /** The VM as core knows it. */
    ProvisionedVm provisionedVm() {
        return vm.provisioned();
    }

    /** An agent of a cloud is configured through its template: its page shows it and changes nothing. */
    @Override
    public Node reconfigure(@NonNull StaplerRequest2 req, JSONObject form) {
        return this;
    }

    @Override
    public AbstractCloudComputer<AzureVmAgent> createComputer() {
        return new AbstractCloudComputer<>(this);
    }

    /**
     * Deletes the VM and everything created with it on a Jenkins thread (minutes on Azure; the retention strategy
     * calls this holding the queue's lock) — only what carries this cloud's owner tag: the ids come from the node's
     * configuration, which a user allowed to configure agents could rewrite. What cannot be deleted is logged; the
     * sweep of lost agents retries it.
     */
    @Override
    protected void _terminate(TaskListener listener) {
        ProvisionedVm provisioned = vm.provisioned();
        listener.getLogger().println("[azure-ssh-vm] Deleting VM " + provisioned.name()
                + " and everything created with it");
        Computer.threadPoolForRemoting.submit(() -> {
            try {
                AzureAccess azure = AzureConnector.get().connect(azureCredentialsId, Jenkins.get());
                new AzureVmProvisioner(azure).deleteOwned(provisioned, AzureVmCloud.ownerId(cloudName), DELETE_TIMEOUT);
                LOGGER.log(Level.INFO, "Deleted VM {0} of cloud {1}", new Object[] {provisioned.name(), cloudName});
            } catch (IOException | AzureVmException e) {
                LOGGER.log(Level.WARNING, "Could not delete VM " + provisioned.name() + " of cloud " + cloudName
                        + "; the sweep of lost agents will retry: " + e.getMessage(), e);
            }
        });
    }

    @Extension
    public static final class DescriptorImpl extends SlaveDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Azure VM agent (verified SSH)";
        }

        /** Made by {@link AzureVmCloud} only. */
        @Override
        public boolean isInstantiable() {
            return false;
        }
    }
}
