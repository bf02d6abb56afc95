package io.jenkins.plugins.azuresshvm.keys;

import java.util.Locale;

/** How a private key file is written. */
public enum PrivateKeyFormat {
    /**
     * PEM: PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, as {@code ssh-keygen -m PEM} writes them;
     * encrypted with AES-128-CBC. Not possible for Ed25519 (OpenSSH cannot read it).
     */
    PEM,
    /** OpenSSH's {@code openssh-key-v1}; encrypted with the bcrypt KDF and aes256-ctr, as ssh-keygen does. */
    OPENSSH;

    /** RSA: PEM (what Azure's docs and Jenkins' trilead use); Ed25519 and ECDSA: OpenSSH (ssh-keygen's default). */
    public static PrivateKeyFormat defaultFor(KeyType type) {
        return type == KeyType.RSA ? PEM : OPENSSH;
    }

    /** The format named {@code pem} or {@code openssh} (as {@code ssh-keygen -m}); case-insensitive. */
    public static PrivateKeyFormat fromName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "pem" -> PEM;
            case "openssh", "rfc4716" -> OPENSSH;
            default -> throw new IllegalArgumentException("unknown key format '" + name + "'; use pem or openssh");
        };
    }

    /**
     * Checks that keys of {@code type} can be written in this format.
     *
     * @throws IllegalArgumentException for Ed25519 as PEM
     */
    public void checkSupports(KeyType type) {
        if (this == PEM && type == KeyType.ED25519) {
            throw new IllegalArgumentException("Ed25519 keys cannot be written as PEM (OpenSSH cannot read them);"
                    + " use the OpenSSH format");
        }
    }
}
