package io.jenkins.plugins.azuresshvm.azure;

/**
 * Which of a VM's resources Azure deletes together with the VM (its delete options); the others are detached and
 * survive a VM delete that does not go through {@link AzureVmProvisioner#delete}.
 */
public record DeleteWithVm(boolean osDisk, boolean networkInterface, boolean publicIp) {
    public static final DeleteWithVm ALL = new DeleteWithVm(true, true, true);
    public static final DeleteWithVm NONE = new DeleteWithVm(false, false, false);
}
