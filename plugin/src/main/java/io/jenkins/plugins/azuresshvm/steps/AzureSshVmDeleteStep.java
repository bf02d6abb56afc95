package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code azureSshVmDelete(azureCredentialsId:, resourceGroup:, name:)}: deletes a VM created by this Jenkins and
 * everything created with it; a VM without this Jenkins' owner tag is refused. Returns whether a VM was deleted
 * ({@code false} when none of that name exists).
 */
public final class AzureSshVmDeleteStep extends ExistingVmStep {

    @DataBoundConstructor
    public AzureSshVmDeleteStep(String azureCredentialsId, String resourceGroup, String name) {
        super(azureCredentialsId, resourceGroup, name);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            Run<?, ?> run = c.get(Run.class);
            StageLog stages = new StageLog(c.get(TaskListener.class), "azureSshVmDelete");
            boolean deleted = VmDeletion.deleteExisting(getResourceGroup(), getName(), VmCreationStep.ownerId(),
                    AzureConnector.get().connect(getAzureCredentialsId(), run), stages);
            if (!deleted) {
                stages.info("No VM " + getName() + " in resource group " + getResourceGroup() + "; nothing deleted");
            }
            return deleted;
        });
    }

    @Extension
    @Symbol("azureSshVmDelete")
    public static final class DescriptorImpl extends ExistingVmDescriptor {
        @Override
        public String getFunctionName() {
            return "azureSshVmDelete";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Delete an Azure VM created by azureSshVmCreate";
        }
    }
}
