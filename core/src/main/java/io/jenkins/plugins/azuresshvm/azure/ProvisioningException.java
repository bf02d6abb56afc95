package io.jenkins.plugins.azuresshvm.azure;

import java.util.List;

/** Provisioning a VM failed; says at which step, and what of ours was deleted or is left. */
public final class ProvisioningException extends AzureVmException {
    private final String failedStep;
    private final List<String> deleted;
    private final List<String> left;

    ProvisioningException(String vmName, String failedStep, Throwable cause, List<String> deleted, List<String> left,
            boolean kept) {
        super("provisioning VM " + vmName + " failed while " + failedStep + ": " + AzureErrors.describe(cause)
                + (kept ? "; kept as asked: " + String.join(", ", left)
                        : "; " + new ResourceCleanup.Outcome(deleted, left)), cause);
        this.failedStep = failedStep;
        this.deleted = List.copyOf(deleted);
        this.left = List.copyOf(left);
    }

    /** The step that failed, e.g. {@code creating VM vm1}. */
    public String failedStep() {
        return failedStep;
    }

    /** What we had created and deleted again. */
    public List<String> deleted() {
        return deleted;
    }

    /** What we created and is still there (kept as asked, or failed to delete). */
    public List<String> left() {
        return left;
    }
}
