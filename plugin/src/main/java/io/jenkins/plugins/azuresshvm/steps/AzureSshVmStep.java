package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code azureSshVm(...) { body }}: a VM whose host keys were verified, for the body only; deleted after it —
 * success, failure or abort, across controller restarts — unless {@code keep: true}.
 */
public final class AzureSshVmStep extends VmCreationStep {
    private boolean keep;

    @DataBoundConstructor
    public AzureSshVmStep(String azureCredentialsId, String sshCredentialsId, String resourceGroup, String location,
            String sshSource) {
        super(azureCredentialsId, sshCredentialsId, resourceGroup, location, sshSource);
    }

    public boolean isKeep() {
        return keep;
    }

    /** Keep the VM after the body (delete it later with {@code azureSshVmDelete}). */
    @DataBoundSetter
    public void setKeep(boolean keep) {
        this.keep = keep;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new AzureSshVmStepExecution(context, request(context.get(Run.class)), keep);
    }

    @Extension
    @Symbol("azureSshVm")
    public static final class DescriptorImpl extends VmCreationDescriptor {
        @Override
        public String getFunctionName() {
            return "azureSshVm";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Run a block with a host-key-verified Azure Linux VM";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
