package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code azureSshVmCreate(...)}: creates and verifies a VM like {@code azureSshVm} and keeps it, returning a map
 * (name, resourceGroup, host, fqdn, user, port, fingerprints, knownHosts). Delete it with {@code azureSshVmDelete}.
 */
public final class AzureSshVmCreateStep extends VmCreationStep {

    @DataBoundConstructor
    public AzureSshVmCreateStep(String azureCredentialsId, String sshCredentialsId, String resourceGroup,
            String location, String sshSource) {
        super(azureCredentialsId, sshCredentialsId, resourceGroup, location, sshSource);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new AzureSshVmCreateStepExecution(context, request(context.get(Run.class)));
    }

    @Extension
    @Symbol("azureSshVmCreate")
    public static final class DescriptorImpl extends VmCreationDescriptor {
        @Override
        public String getFunctionName() {
            return "azureSshVmCreate";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Create a host-key-verified Azure Linux VM and keep it";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
