package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a VM boots with.
 *
 * @param name the VM name (unique within the runtime)
 * @param ipAddress the loopback address its sshd listens on, {@code 127.0.0.N}
 * @param adminUsername the only user that can log in
 * @param authorizedKeys the admin's authorized_keys lines (the VM's {@code osProfile} public keys)
 * @param hostKeys the host keys it has instead of generated ones (only these types, as cloud-init installs
 *     {@code ssh_keys}); empty for generated keys of every type
 * @param sshPort the port its sshd listens on (22 unless customData moved it)
 * @param sshdDropIns the files of its {@code /etc/ssh/sshd_config.d/} by name ({@code 50-x.conf}), from customData;
 *     {@code sshPort} is what their {@code Port} says, the rest of them sshd ignores
 */
public record VmSpec(String name, String ipAddress, String adminUsername, List<String> authorizedKeys,
        List<HostKeyPair> hostKeys, int sshPort, SortedMap<String, String> sshdDropIns) {

    /** The port sshd listens on when nothing moves it. */
    public static final int DEFAULT_SSH_PORT = 22;

    public VmSpec {
        authorizedKeys = List.copyOf(authorizedKeys);
        hostKeys = List.copyOf(hostKeys);
        sshdDropIns = Collections.unmodifiableSortedMap(new TreeMap<>(sshdDropIns));
    }

    /** A VM with generated host keys, sshd on port 22. */
    public VmSpec(String name, String ipAddress, String adminUsername, List<String> authorizedKeys) {
        this(name, ipAddress, adminUsername, authorizedKeys, List.of(), DEFAULT_SSH_PORT, new TreeMap<>());
    }
}
