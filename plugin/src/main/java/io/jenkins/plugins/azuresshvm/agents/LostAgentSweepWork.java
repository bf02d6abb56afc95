package io.jenkins.plugins.azuresshvm.agents;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import hudson.slaves.Cloud;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import java.io.IOException;
import java.time.Duration;
import jenkins.model.Jenkins;

/**
 * Every 30 minutes, deletes the VMs of each {@link AzureVmCloud} whose agent no longer exists (a controller that
 * crashed while making or deleting one, a node removed by hand), with everything created with them. Its log is
 * {@code $JENKINS_HOME/logs/tasks/Azure SSH VM lost agent sweep.log}.
 */
@Extension
public final class LostAgentSweepWork extends AsyncPeriodicWork {
    static final Duration TIMEOUT = Duration.ofMinutes(15);

    public LostAgentSweepWork() {
        super("Azure SSH VM lost agent sweep");
    }

    @Override
    public long getRecurrencePeriod() {
        return 30 * MIN;
    }

    @Override
    protected void execute(TaskListener listener) {
        for (Cloud cloud : Jenkins.get().clouds) {
            if (cloud instanceof AzureVmCloud azureVmCloud) {
                try {
                    azureVmCloud.sweepLostAgents(listener, TIMEOUT);
                } catch (IOException | AzureVmException e) {
                    listener.error("Cloud " + cloud.name + ": the sweep of lost agents failed: " + e.getMessage());
                }
            }
        }
    }
}
