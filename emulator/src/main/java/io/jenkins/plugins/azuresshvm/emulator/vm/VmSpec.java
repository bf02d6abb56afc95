package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.util.List;

/**
 * What a VM boots with.
 *
 * @param name the VM name (unique within the runtime)
 * @param ipAddress the loopback address its sshd listens on, {@code 127.0.0.N}
 * @param adminUsername the only user that can log in
 * @param authorizedKeys the admin's authorized_keys lines (the VM's {@code osProfile} public keys)
 */
public record VmSpec(String name, String ipAddress, String adminUsername, List<String> authorizedKeys) {
    public VmSpec {
        authorizedKeys = List.copyOf(authorizedKeys);
    }
}
