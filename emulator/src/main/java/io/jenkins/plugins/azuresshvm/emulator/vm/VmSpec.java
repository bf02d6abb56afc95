package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.util.List;

/**
 * What a VM boots with.
 *
 * @param name the VM name (unique within the runtime)
 * @param ipAddress the loopback address its sshd listens on, {@code 127.0.0.N}
 * @param adminUsername the only user that can log in
 * @param authorizedKeys the admin's authorized_keys lines (the VM's {@code osProfile} public keys)
 * @param hostKeys the host keys it has instead of generated ones (only these types, as cloud-init installs
 *     {@code ssh_keys}); empty for generated keys of every type
 */
public record VmSpec(String name, String ipAddress, String adminUsername, List<String> authorizedKeys,
        List<HostKeyPair> hostKeys) {
    public VmSpec {
        authorizedKeys = List.copyOf(authorizedKeys);
        hostKeys = List.copyOf(hostKeys);
    }

    /** A VM with generated host keys. */
    public VmSpec(String name, String ipAddress, String adminUsername, List<String> authorizedKeys) {
        this(name, ipAddress, adminUsername, authorizedKeys, List.of());
    }
}
