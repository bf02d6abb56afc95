package io.jenkins.plugins.azuresshvm.agents;

import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Computer;
import hudson.model.Descriptor;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.LostAgentSweep;
import io.jenkins.plugins.azuresshvm.azure.OrphanSweep;
import io.jenkins.plugins.azuresshvm.cloud.AgentDemand;
import io.jenkins.plugins.azuresshvm.cloud.AgentVmNames;
import io.jenkins.plugins.azuresshvm.cloud.InvalidAgentTemplateException;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.steps.CredentialsListBox;
import io.jenkins.plugins.azuresshvm.steps.VmCreationStep;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A cloud of SSH build agents on Azure VMs whose host keys are known before the first connection: each agent VM is
 * made by core's verified launcher (provision, then host keys through run-command or pre-seeded and cross-checked)
 * and launched by the SSH Build Agents plugin with a strategy that already holds those keys. Its VMs carry an owner
 * tag of their own ({@link #ownerId()}), by which {@link LostAgentSweepWork} finds those whose node is gone.
 */
public class AzureVmCloud extends Cloud {
    private static final Logger LOGGER = Logger.getLogger(AzureVmCloud.class.getName());
    /** How old a VM of ours without a node must be before the sweep deletes it: longer than any provisioning. */
    static final Duration SWEEP_GRACE = AgentLaunch.LAUNCH_TIMEOUT.plusMinutes(40);

    private final String azureCredentialsId;
    private final List<AzureVmAgentTemplate> templates;
    /** The agent VMs being made, which have no node yet, by name. */
    private transient Map<String, AzureVmAgentTemplate> provisioning = new ConcurrentHashMap<>();

    @DataBoundConstructor
    public AzureVmCloud(String name, String azureCredentialsId, List<AzureVmAgentTemplate> templates) {
        super(name);
        this.azureCredentialsId = Util.fixEmptyAndTrim(azureCredentialsId);
        // a plain list: XStream writes it to config.xml
        this.templates = templates == null ? new ArrayList<>() : new ArrayList<>(templates);
    }

    protected Object readResolve() {
        provisioning = new ConcurrentHashMap<>();
        return this;
    }

    public String getAzureCredentialsId() {
        return azureCredentialsId;
    }

    @NonNull
    public List<AzureVmAgentTemplate> getTemplates() {
        return Collections.unmodifiableList(templates);
    }

    /** The owner tag of this cloud's VMs: this Jenkins' ({@code jenkins:<instance id>}) and the cloud's name. */
    @NonNull
    public String ownerId() {
        return ownerId(name);
    }

    /** The owner tag value of the VMs of the cloud {@code cloudName} in this Jenkins. */
    static String ownerId(String cloudName) {
        return VmCreationStep.ownerId() + "/cloud:" + cloudName;
    }

    @Override
    public boolean canProvision(@NonNull CloudState state) {
        return azureCredentialsId != null && template(state) != null;
    }

    @NonNull
    @Override
    public Collection<NodeProvisioner.PlannedNode> provision(@NonNull CloudState state, int excessWorkload) {
        AzureVmAgentTemplate template = template(state);
        List<NodeProvisioner.PlannedNode> planned = new ArrayList<>();
        if (template == null || azureCredentialsId == null) {
            return planned;
        }
        try {
            template.spec();
        } catch (InvalidAgentTemplateException e) {
            LOGGER.log(Level.WARNING, "Cloud {0} provisions no agent of template ''{1}'': {2}",
                    new Object[] {name, template.getLabels(), e.getMessage()});
            return planned;
        }
        int existing = agentsOf(template) + (int) provisioning.values().stream().filter(t -> t == template).count();
        int count = AgentDemand.vmsToStart(excessWorkload, template.getNumExecutors(), existing,
                template.getInstanceCap());
        AgentVmNames names = new AgentVmNames(name);
        for (int i = 0; i < count; i++) {
            String vmName = names.next(taken -> Jenkins.get().getNode(taken) != null
                    || provisioning.containsKey(taken));
            provisioning.put(vmName, template);
            AgentLaunch launch = new AgentLaunch(this, template, vmName);
            planned.add(new NodeProvisioner.PlannedNode(vmName, Computer.threadPoolForRemoting.submit(() -> {
                try {
                    return launch.call();
                } finally {
                    provisioning.remove(vmName);
                }
            }), template.getNumExecutors()));
        }
        return planned;
    }

    /** The first template whose labels satisfy the state's label. */
    @CheckForNull
    private AzureVmAgentTemplate template(CloudState state) {
        for (AzureVmAgentTemplate template : templates) {
            if (template.matches(state.getLabel())) {
                return template;
            }
        }
        return null;
    }

    private int agentsOf(AzureVmAgentTemplate template) {
        int count = 0;
        for (Node node : Jenkins.get().getNodes()) {
            if (node instanceof AzureVmAgent agent && name.equals(agent.getCloudName())
                    && template.getLabels().equals(agent.getLabelString())) {
                count++;
            }
        }
        return count;
    }

    /** The names of this cloud's agents that exist or are being made: what the sweep leaves alone. */
    Set<String> liveVmNames() {
        Set<String> live = new HashSet<>();
        for (Node node : Jenkins.get().getNodes()) {
            if (node instanceof AzureVmAgent agent && name.equals(agent.getCloudName())) {
                live.add(agent.getNodeName());
            }
        }
        live.addAll(provisioning.keySet());
        return live;
    }

    /** Deletes this cloud's VMs that have had no node for longer than {@link #SWEEP_GRACE}, logging what it does. */
    void sweepLostAgents(TaskListener listener, Duration timeout) throws IOException {
        if (azureCredentialsId == null) {
            return;
        }
        AzureAccess azure = AzureConnector.get().connect(azureCredentialsId, Jenkins.get());
        LostAgentSweep sweep = new LostAgentSweep(new OrphanSweep(azure, Clock.systemUTC()));
        OrphanSweep.Plan plan = sweep.plan(ownerId(), liveVmNames(), SWEEP_GRACE, timeout);
        if (plan.orphans().isEmpty()) {
            return;
        }
        listener.getLogger().println("Cloud " + name + ": deleting " + plan.orphans().size()
                + " resources of agents that no longer exist: "
                + plan.orphans().stream().map(OrphanSweep.Orphan::name).toList());
        try {
            listener.getLogger().println("Cloud " + name + ": deleted " + sweep.delete(plan, timeout));
        } catch (AzureVmException e) {
            listener.error("Cloud " + name + ": " + e.getMessage());
        }
    }

    @Extension
    @Symbol("azureSshVmCloud")
    public static class DescriptorImpl extends Descriptor<Cloud> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Azure VMs (verified SSH agents)";
        }

        /** Jenkins-level Azure credentials, listed only for administrators. */
        @POST
        public ListBoxModel doFillAzureCredentialsIdItems(@QueryParameter String azureCredentialsId) {
            return CredentialsListBox.of(null, AzureBaseCredentials.class, azureCredentialsId);
        }

        @POST
        public FormValidation doCheckAzureCredentialsId(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Required: an Azure credential")
                    : FormValidation.ok();
        }
    }
}
