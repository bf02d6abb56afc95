package io.jenkins.plugins.azuresshvm.azure;

import java.time.Duration;

/** Cheap reads of existing VMs. */
public final class VmLookup {
    private final AzureAccess azure;

    public VmLookup(AzureAccess azure) {
        this.azure = azure;
    }

    /**
     * The {@code vmId} of the VM (one GET): Azure's id of this VM instance, which changes when a VM of the same name
     * is re-created — what decides whether pinned host keys still apply.
     *
     * @throws AzureVmException naming the VM when it does not exist or cannot be read within {@code timeout}
     */
    public String vmId(String resourceGroup, String name, Duration timeout) {
        String what = "reading VM " + name + " (resource group " + resourceGroup + ")";
        try {
            return Deadline.after(timeout).await(
                    azure.compute().virtualMachines().getByResourceGroupAsync(resourceGroup, name), what).vmId();
        } catch (AzureVmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AzureVmException(what + " failed: " + AzureErrors.describe(e), e);
        }
    }
}
