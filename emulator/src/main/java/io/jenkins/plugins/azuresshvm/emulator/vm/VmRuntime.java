package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;

/** Runs the emulator's Linux VMs. Closing it deletes every VM it made and leaves no process or file behind. */
public interface VmRuntime extends AutoCloseable {

    /**
     * Boots a VM: its own host keys, its sshd listening on {@code spec.ipAddress()}:{@code spec.sshPort()}. Returns
     * once sshd listens.
     */
    LinuxVm create(VmSpec spec) throws IOException;

    /** Stops the VM's sshd (and its per-connection children) and deletes its files; unknown names are ignored. */
    void delete(String name) throws IOException;

    @Override
    void close();
}
