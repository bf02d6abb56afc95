package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code azureSshVm}: creates and verifies the VM in a background thread, writes its known_hosts file on the
 * agent, runs the body with the VM's variables, then deletes the VM (and the file) in a background thread whatever
 * the body's outcome. Its state — the request (group, name, owner tag) from the start, the created VM once it
 * exists, and the phase — is persisted with the Pipeline, so {@link #onResume()} finishes the job after a controller
 * restart: a restart during creation deletes what it finds under the VM's name and our owner tag, one during
 * clean-up deletes again, and one during the body lets the body's callback delete the VM when the body ends.
 *
 * <p>With pre-seeded host keys the body starts before run-command has confirmed them. A failed cross-check cancels
 * the body and fails the step with the disagreement; a body that ends first waits for the cross-check (bounded)
 * before the step succeeds, and so does {@code keep: true} before keeping the VM. The check lives in controller
 * memory: after a restart before it finished, the VM counts as unconfirmed and the step fails closed.
 */
final class AzureSshVmStepExecution extends GeneralNonBlockingStepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(AzureSshVmStepExecution.class.getName());
    static final String STEP = "azureSshVm";

    /** Where the step is; what a stop or a resume must do depends on it. */
    enum Phase {
        CREATING,
        BODY,
        CLEANUP,
        DONE
    }

    private final VmRequest request;
    private final boolean keep;
    private volatile Phase phase = Phase.CREATING;
    private volatile CreatedVm vm;
    /** The VM with its host-key cross-check, in this controller's memory only. */
    private transient volatile VmCreation.Launched launched;
    /** Pre-seeded host keys that run-command has not confirmed yet. */
    private volatile boolean crossCheckPending;
    /** The failed cross-check's error, once it failed. */
    private volatile AbortException crossCheckFailure;
    private String knownHostsPath;
    private BodyExecution body;
    /** The body's failure, kept for a clean-up that a restart interrupted; {@code null} after success. */
    private Throwable bodyFailure;
    /** A stop during creation: honoured once creation returns, by deleting the VM. */
    private transient volatile Throwable stopDuringCreation;

    AzureSshVmStepExecution(StepContext context, VmRequest request, boolean keep) {
        super(context);
        this.request = request;
        this.keep = keep;
    }

    @Override
    public boolean start() throws Exception {
        run(this::createAndRunBody);
        return false;
    }

    private void createAndRunBody() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        launched = VmCreation.create(request, run, listener, STEP);
        vm = launched.vm();
        crossCheckPending = request.preseedHostKeys;
        AbortException refused = VmCreation.refusal(launched, STEP);
        if (stopDuringCreation != null || refused != null) {
            deleteVm(context, listener);
            phase = Phase.DONE;
            context.onFailure(stopDuringCreation != null ? stopDuringCreation : refused);
            return;
        }
        FilePath workspace = context.get(FilePath.class);
        FilePath knownHosts;
        try {
            FilePath tmp = WorkspaceList.tempDir(workspace);
            tmp.mkdirs();
            knownHosts = tmp.createTempFile("azure-vm-" + vm.name() + "-", ".known_hosts");
            knownHosts.write(String.join("\n", vm.knownHostsLines()) + "\n", StandardCharsets.UTF_8.name());
        } catch (IOException | RuntimeException e) {
            deleteVm(context, listener);
            throw e;
        }
        knownHostsPath = knownHosts.getRemote();
        new StageLog(listener, STEP).info("known_hosts for the body: " + knownHostsPath);
        phase = Phase.BODY;
        body = context.newBodyInvoker()
                .withContext(VmEnvironment.expander(context.get(EnvironmentExpander.class), vm, knownHostsPath))
                .withCallback(new CleanUp())
                .start();
        if (crossCheckPending) {
            launched.crossCheck().onFailure(this::crossCheckFailed);
        }
    }

    /**
     * Run-command disagreed or could not confirm the pre-seeded host keys: stop the body at once (core deletes the VM
     * meanwhile), fail the step.
     */
    private void crossCheckFailed(Throwable failure) {
        AbortException refused = VmCreation.refusal(launched, STEP, failure);
        crossCheckFailure = refused;
        BodyExecution running = body;
        if (phase == Phase.BODY && running != null) {
            running.cancel(refused);
            try {
                new StageLog(getContext().get(TaskListener.class), STEP).info("Stopping the body: "
                        + refused.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not log the stop of the body of " + STEP, e);
            }
        }
    }

    /**
     * A stop during creation waits for it to return and then deletes the VM (interrupting the Azure calls could
     * leave resources behind); during the body it cancels the body, whose end triggers the clean-up; a clean-up
     * already running goes on.
     */
    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        StageLog log = new StageLog(listener, STEP);
        switch (phase) {
            case CREATING -> {
                stopDuringCreation = cause;
                log.info("Stopping: VM " + request.name + " is deleted as soon as its creation returns");
            }
            case BODY -> {
                if (body != null) {
                    body.cancel(cause);
                }
            }
            case CLEANUP -> log.info("Stopping: the clean-up of VM " + request.name + " goes on");
            case DONE -> getContext().onFailure(cause);
        }
    }

    @Override
    public void onResume() {
        switch (phase) {
            case CREATING -> run(() -> {
                TaskListener listener = getContext().get(TaskListener.class);
                new StageLog(listener, STEP).info("The controller restarted while VM " + request.name
                        + " was being created; deleting it");
                if (vm != null) {
                    deleteVm(getContext(), listener);
                } else {
                    VmDeletion.deleteExisting(request.resourceGroup, request.name, request.ownerId,
                            AzureConnector.get().connect(request.azureCredentialsId, getContext().get(Run.class)),
                            new StageLog(listener, STEP));
                }
                phase = Phase.DONE;
                getContext().onFailure(new AbortException(STEP + ": the controller restarted while VM "
                        + request.name + " was being created; it was deleted"));
            });
            case CLEANUP -> run(() -> finish(getContext()));
            case BODY, DONE -> {
                // the body resumes by itself and its callback cleans up; nothing is left to do once done
            }
        }
    }

    @NonNull
    @Override
    public String getStatus() {
        return phase + " VM " + request.name + " (resource group " + request.resourceGroup + "); "
                + super.getStatus();
    }

    /**
     * Confirms pre-seeded host keys when the build would otherwise succeed or keep the VM, deletes the VM (unless
     * kept and confirmed) and the known_hosts file, then ends the step as the body ended — or with the failed
     * cross-check.
     */
    private void finish(StepContext context) throws Exception {
        TaskListener listener = context.get(TaskListener.class);
        if (crossCheckPending && crossCheckFailure == null && (bodyFailure == null || keep)) {
            confirmHostKeys(listener);
        }
        Exception cleanupFailure = null;
        try {
            deleteKnownHosts(context, listener);
            if (keep && crossCheckFailure == null) {
                new StageLog(listener, STEP).info("Keeping VM " + vm.name() + " (keep: true); delete it with"
                        + " azureSshVmDelete(resourceGroup: '" + vm.resourceGroup() + "', name: '" + vm.name()
                        + "', azureCredentialsId: '" + request.azureCredentialsId + "')");
            } else {
                deleteVm(context, listener);
            }
        } catch (Exception e) {
            cleanupFailure = e;
        }
        phase = Phase.DONE;
        if (crossCheckFailure != null) {
            if (bodyFailure != null && bodyFailure != crossCheckFailure) {
                crossCheckFailure.addSuppressed(bodyFailure);
            }
            if (cleanupFailure != null) {
                crossCheckFailure.addSuppressed(cleanupFailure);
            }
            context.onFailure(crossCheckFailure);
        } else if (bodyFailure != null) {
            if (cleanupFailure != null) {
                bodyFailure.addSuppressed(cleanupFailure);
            }
            context.onFailure(bodyFailure);
        } else if (cleanupFailure != null) {
            context.onFailure(cleanupFailure);
        } else {
            context.onSuccess(null);
        }
    }

    private void confirmHostKeys(TaskListener listener) {
        if (launched == null) {
            crossCheckFailure = new AbortException(STEP + ": refusing VM " + request.name + ": the controller"
                    + " restarted before run-command confirmed its pre-seeded host keys (the VM is deleted)");
            return;
        }
        try {
            VmCreation.confirm(launched, new StageLog(listener, STEP), STEP);
            crossCheckPending = false;
        } catch (AbortException e) {
            crossCheckFailure = e;
        }
    }

    private void deleteVm(StepContext context, TaskListener listener) throws IOException, InterruptedException {
        VmDeletion.delete(vm, AzureConnector.get().connect(request.azureCredentialsId, context.get(Run.class)),
                new StageLog(listener, STEP));
    }

    private void deleteKnownHosts(StepContext context, TaskListener listener) throws InterruptedException {
        if (knownHostsPath == null) {
            return;
        }
        try {
            FilePath workspace = context.get(FilePath.class);
            if (workspace != null) {
                new FilePath(workspace.getChannel(), knownHostsPath).delete();
            }
        } catch (IOException e) {
            new StageLog(listener, STEP).info("could not delete " + knownHostsPath + " (it holds only public host"
                    + " keys): " + e.getMessage());
        }
    }

    /** After the body, on whatever outcome: clean up in a background thread, then end the step. */
    private final class CleanUp extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        @Override
        public void onSuccess(StepContext context, Object result) {
            cleanUp(null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            cleanUp(t);
        }

        private void cleanUp(Throwable failure) {
            bodyFailure = failure;
            phase = Phase.CLEANUP;
            run(() -> finish(getContext()));
        }
    }
}
