package io.jenkins.plugins.azuresshvm.keys;

import java.util.Objects;

/**
 * What key to generate: a type and a size, checked on construction.
 *
 * @param type the key type
 * @param bits the size in bits: 2048–16384 for RSA, 256/384/521 for ECDSA, 256 for Ed25519
 */
public record KeyGenSpec(KeyType type, int bits) {

    /** What Azure's documentation asks for: {@code ssh-keygen -m PEM -t rsa -b 4096}. */
    public static final KeyGenSpec DEFAULT = new KeyGenSpec(KeyType.RSA, 4096);

    public KeyGenSpec {
        Objects.requireNonNull(type, "type");
        type.checkBits(bits);
    }

    /** The type at its default size. */
    public static KeyGenSpec of(KeyType type) {
        return new KeyGenSpec(type, type.defaultBits());
    }

    public static KeyGenSpec rsa(int bits) {
        return new KeyGenSpec(KeyType.RSA, bits);
    }

    public static KeyGenSpec ed25519() {
        return of(KeyType.ED25519);
    }

    public static KeyGenSpec ecdsa(int bits) {
        return new KeyGenSpec(KeyType.ECDSA, bits);
    }

    @Override
    public String toString() {
        return type.label() + " " + bits;
    }
}
