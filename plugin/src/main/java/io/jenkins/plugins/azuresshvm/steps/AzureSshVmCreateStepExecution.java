package io.jenkins.plugins.azuresshvm.steps;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs {@code azureSshVmCreate} in a background thread. Not resumable: a controller restart during creation fails
 * the step, and the VM it may have left carries the requested name and the {@code jenkins-build} tag. With pre-seeded
 * host keys it returns only once run-command has confirmed them, so the map it returns describes a confirmed VM.
 */
final class AzureSshVmCreateStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private static final String STEP = "azureSshVmCreate";

    private final VmRequest request;

    AzureSshVmCreateStepExecution(StepContext context, VmRequest request) {
        super(context);
        this.request = request;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext context = getContext();
        TaskListener listener = context.get(TaskListener.class);
        VmCreation.Launched launched = VmCreation.create(request, context.get(Run.class), listener, STEP);
        try {
            if (request.preseedHostKeys) {
                VmCreation.confirm(launched, new StageLog(listener, STEP), STEP);
            }
        } catch (AbortException refused) {
            try {
                VmDeletion.delete(launched.vm(), AzureConnector.get().connect(request.azureCredentialsId,
                        context.get(Run.class)), new StageLog(listener, STEP));
            } catch (AbortException notDeleted) {
                refused.addSuppressed(notDeleted);
            }
            throw refused;
        }
        return launched.vm().asMap();
    }
}
