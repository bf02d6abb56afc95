package io.jenkins.plugins.azuresshvm.steps;

import com.azure.core.management.exception.ManagementException;
import hudson.AbortException;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import java.time.Duration;

/** Deleting a VM and everything created with it, logged as a stage; an existing VM only when it carries our tag. */
final class VmDeletion {
    static final Duration TIMEOUT = Duration.ofMinutes(15);

    private VmDeletion() {}

    /** Deletes a VM a step created. */
    static void delete(CreatedVm vm, AzureAccess azure, StageLog stages) throws AbortException {
        delete(vm.provisioned(), azure, stages);
    }

    /**
     * Deletes the VM {@code name} when it carries the owner tag {@code ownerId} ({@code null}: any owner tag of this
     * product), reading what was created with it first.
     *
     * @return whether a VM was found and deleted
     * @throws AbortException when it is not ours, or cannot be deleted
     */
    static boolean deleteExisting(String resourceGroup, String name, String ownerId, AzureAccess azure,
            StageLog stages) throws AbortException {
        VmLookup lookup = new VmLookup(azure);
        String owner;
        try {
            owner = lookup.owner(resourceGroup, name, TIMEOUT);
        } catch (AzureVmException e) {
            if (e.getCause() instanceof ManagementException arm && arm.getResponse() != null
                    && arm.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw new AbortException(e.getMessage());
        }
        if (owner == null || ownerId != null && !ownerId.equals(owner)) {
            throw new AbortException("not deleting VM " + name + " (resource group " + resourceGroup + "): its "
                    + AzureVmProvisioner.OWNER_TAG + " tag is " + (owner == null ? "missing" : "'" + owner + "'")
                    + (ownerId == null ? "" : ", not '" + ownerId + "'") + "; delete it with the Azure tools");
        }
        delete(lookup.read(resourceGroup, name, TIMEOUT), azure, stages);
        return true;
    }

    private static void delete(ProvisionedVm vm, AzureAccess azure, StageLog stages) throws AbortException {
        stages.start("Deleting VM " + vm.name() + " and its disk, NIC, public IP, NSG and virtual network");
        try {
            new AzureVmProvisioner(azure).delete(vm, TIMEOUT);
            stages.done();
        } catch (AzureVmException e) {
            stages.failed();
            throw new AbortException(e.getMessage());
        }
    }
}
