package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.util.Objects;

/**
 * A host key given to a VM (cloud-init's {@code ssh_keys}), installed as {@code /etc/ssh/ssh_host_<type>_key} (0600)
 * and {@code .pub} (0644). {@link #toString()} never shows the private key.
 *
 * @param type {@code rsa}, {@code ecdsa} or {@code ed25519}
 * @param privateKey the private key file's content (OpenSSH or PEM)
 * @param publicKey the public key line, or {@code null} to derive it from the private key with {@code ssh-keygen -y}
 */
public record HostKeyPair(String type, String privateKey, String publicKey) {

    public HostKeyPair {
        if (!HostKeys.TYPES.contains(type)) {
            throw new IllegalArgumentException("Unknown host key type " + type + "; known: " + HostKeys.TYPES);
        }
        Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String toString() {
        return "HostKeyPair[type=" + type + ", publicKey=" + publicKey + "]";
    }
}
