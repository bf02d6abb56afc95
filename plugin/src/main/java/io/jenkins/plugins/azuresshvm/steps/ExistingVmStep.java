package io.jenkins.plugins.azuresshvm.steps;

import com.microsoft.azure.util.AzureBaseCredentials;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The parameters of steps acting on an existing VM: the Azure credential, its resource group and its name. */
public abstract class ExistingVmStep extends Step {
    private final String azureCredentialsId;
    private final String resourceGroup;
    private final String name;

    protected ExistingVmStep(String azureCredentialsId, String resourceGroup, String name) {
        this.azureCredentialsId = Util.fixEmptyAndTrim(azureCredentialsId);
        this.resourceGroup = Util.fixEmptyAndTrim(resourceGroup);
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getAzureCredentialsId() {
        return azureCredentialsId;
    }

    public String getResourceGroup() {
        return resourceGroup;
    }

    public String getName() {
        return name;
    }

    /** The Azure credential list box and the context both existing-VM steps need. */
    public abstract static class ExistingVmDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @POST
        public ListBoxModel doFillAzureCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String azureCredentialsId) {
            return CredentialsListBox.of(item, AzureBaseCredentials.class, azureCredentialsId);
        }
    }
}
