package io.jenkins.plugins.azuresshvm.azure;

import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.RunCommandResult;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceUtils;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a shell script as root on a Linux VM through Azure's run-command (no SSH involved): the out-of-band channel
 * the host key probe uses. One run command at a time per VM; it takes 20 s to minutes on real Azure.
 */
public final class RunCommand {

    /** The error code of a run command that failed because the VM agent is not ready yet. */
    public static final String AGENT_NOT_READY = "VMAgentStatusCommunicationError";

    private final AzureAccess azure;
    private final Duration agentRetryPause;

    /** Retries every 10 s while the VM agent is not ready. */
    public RunCommand(AzureAccess azure) {
        this(azure, Duration.ofSeconds(10));
    }

    /** @param agentRetryPause the pause before running again when the VM agent was not ready */
    public RunCommand(AzureAccess azure, Duration agentRetryPause) {
        this.azure = azure;
        this.agentRetryPause = agentRetryPause;
    }

    /** {@link #runShellScript(String, String, List, Duration)} on a VM we provisioned. */
    public String runShellScript(ProvisionedVm vm, List<String> lines, Duration timeout) {
        return runShellScript(vm.resourceGroup(), vm.name(), lines, timeout);
    }

    /** {@link #runShellScript(String, String, List, Duration)} on the VM with this ARM id. */
    public String runShellScript(String vmResourceId, List<String> lines, Duration timeout) {
        return runShellScript(ResourceUtils.groupFromResourceId(vmResourceId),
                ResourceUtils.nameFromResourceId(vmResourceId), lines, timeout);
    }

    /**
     * Runs {@code lines} (joined by newlines) with {@code RunShellScript}, again and again while the VM agent is not
     * ready, until {@code timeout}.
     *
     * @return the status message, {@code Enable succeeded: \n[stdout]\n…\n[stderr]\n…\n} (the tail of each stream,
     *     about 4 KB; Azure says "succeeded" whatever the script's exit status)
     * @throws AzureVmException naming the VM, when the run command fails otherwise or not within {@code timeout}
     */
    public String runShellScript(String resourceGroup, String vmName, List<String> lines, Duration timeout) {
        return running(resourceGroup, vmName, lines, timeout).block();
    }

    /** {@link #runShellScript(String, String, List, Duration)} without a thread waiting for it, nor between tries. */
    Mono<String> running(String resourceGroup, String vmName, List<String> lines, Duration timeout) {
        return Mono.defer(() -> running(resourceGroup, vmName, lines, Deadline.after(timeout),
                "run command on VM " + vmName + " (resource group " + resourceGroup + ")"));
    }

    private Mono<String> running(String resourceGroup, String vmName, List<String> lines, Deadline deadline,
            String what) {
        return deadline.within(Mono.defer(() -> azure.compute().virtualMachines()
                .runShellScriptAsync(resourceGroup, vmName, lines, List.of())), what)
                .map(result -> message(result, what))
                .onErrorMap(e -> !(e instanceof AzureVmException), e -> {
                    if (!AGENT_NOT_READY.equals(AzureErrors.code(e))) {
                        return new AzureVmException(what + " failed: " + AzureErrors.describe(e), e);
                    }
                    if (deadline.passed()) {
                        return new AzureVmException(what + ": the VM agent was not ready within "
                                + deadline.total().toSeconds() + " s (" + AzureErrors.describe(e) + ")", e);
                    }
                    return e;
                })
                // tried again while the agent is not ready, iteratively: the stack does not grow with the tries
                .retryWhen(Retry.from(failures -> failures.concatMap(failure ->
                        failure.failure() instanceof AzureVmException ? Mono.error(failure.failure())
                                : deadline.pause(agentRetryPause))));
    }

    private static String message(RunCommandResult result, String what) {
        List<InstanceViewStatus> statuses = result == null ? null : result.value();
        if (statuses == null || statuses.isEmpty() || statuses.get(0).message() == null) {
            throw new AzureVmException(what + " returned no status message");
        }
        return statuses.get(0).message();
    }
}
