package io.jenkins.plugins.azuresshvm.steps;

import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs {@code azureSshVmCreate} in a background thread. Not resumable: a controller restart during creation fails
 * the step, and the VM it may have left carries the requested name and the {@code jenkins-build} tag.
 */
final class AzureSshVmCreateStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final VmRequest request;

    AzureSshVmCreateStepExecution(StepContext context, VmRequest request) {
        super(context);
        this.request = request;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext context = getContext();
        return VmCreation.create(request, context.get(Run.class), context.get(TaskListener.class), "azureSshVmCreate")
                .asMap();
    }
}
