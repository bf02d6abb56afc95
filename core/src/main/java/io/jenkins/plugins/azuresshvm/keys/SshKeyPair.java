package io.jenkins.plugins.azuresshvm.keys;

import java.security.KeyPair;
import java.util.Objects;

/**
 * A private key with its public half and comment. {@link #toString()} never shows the private key.
 *
 * @param keyPair the Java key pair (Bouncy Castle classes for Ed25519 and ECDSA)
 * @param comment the comment, empty when none
 */
public record SshKeyPair(KeyPair keyPair, String comment) {

    public SshKeyPair {
        Objects.requireNonNull(keyPair, "keyPair");
        comment = Objects.requireNonNullElse(comment, "");
    }

    /** The public key, carrying this pair's comment. */
    public SshPublicKey publicKey() {
        return SshPublicKey.of(keyPair.getPublic(), comment);
    }

    public KeyType type() {
        return KeyType.of(keyPair.getPublic());
    }

    /** The same keys with another comment. */
    public SshKeyPair withComment(String newComment) {
        return new SshKeyPair(keyPair, newComment);
    }

    @Override
    public String toString() {
        return "SshKeyPair[" + type() + " " + publicKey().fingerprint() + "]";
    }
}
