package io.jenkins.plugins.azuresshvm.cloud;

/**
 * How many agent VMs to start for work waiting in the queue: enough executors for it, within the template's instance
 * cap counting agents that exist or are being made.
 */
public final class AgentDemand {
    private AgentDemand() {}

    /**
     * @param excessWorkload executors wanted beyond those available (Jenkins' estimate)
     * @param executorsPerVm the template's executors per agent, at least 1
     * @param existing agents of the template that exist or are being made
     * @param instanceCap the template's cap, at least 1
     * @return 0 or more VMs to start now
     */
    public static int vmsToStart(int excessWorkload, int executorsPerVm, int existing, int instanceCap) {
        if (executorsPerVm < 1 || instanceCap < 1) {
            throw new IllegalArgumentException("executors per VM (" + executorsPerVm + ") and instance cap ("
                    + instanceCap + ") must be at least 1");
        }
        if (excessWorkload <= 0) {
            return 0;
        }
        int wanted = (excessWorkload + executorsPerVm - 1) / executorsPerVm;
        return Math.max(0, Math.min(wanted, instanceCap - existing));
    }
}
