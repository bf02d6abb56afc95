package io.jenkins.plugins.azuresshvm.credentials;

import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;

/** The key pairs Jenkins generates for a {@link GeneratedSSHUserPrivateKey}: what Azure and Jenkins' SSH stack both read. */
public enum GeneratedKeyType {
    RSA_4096("RSA 4096", KeyGenSpec.rsa(4096)),
    RSA_3072("RSA 3072", KeyGenSpec.rsa(3072)),
    RSA_2048("RSA 2048", KeyGenSpec.rsa(2048)),
    ED25519("Ed25519", KeyGenSpec.ed25519());

    /** What a credential declared without a key type gets; Azure's documented default. */
    public static final GeneratedKeyType DEFAULT = RSA_4096;

    private final String displayName;
    private final KeyGenSpec spec;

    GeneratedKeyType(String displayName, KeyGenSpec spec) {
        this.displayName = displayName;
        this.spec = spec;
    }

    @NonNull
    public String getDisplayName() {
        return displayName;
    }

    /** What core generates for this type. */
    @NonNull
    public KeyGenSpec spec() {
        return spec;
    }

    /**
     * Whether FIPS-140 mode allows this type. ssh-credentials accepts only PEM-decodable keys there (it snapshots
     * every {@code SSHUserPrivateKey} into one when sending it to an agent), and Ed25519 keys are written as OpenSSH.
     */
    public boolean isFipsCompliant() {
        return this != ED25519;
    }

    /**
     * The type of an existing public key.
     *
     * @throws IllegalArgumentException for a key Jenkins would not have generated (another type or size)
     */
    @NonNull
    public static GeneratedKeyType of(@NonNull SshPublicKey key) {
        for (GeneratedKeyType type : values()) {
            if (type.spec.type() == key.type() && type.spec.bits() == key.bits()) {
                return type;
            }
        }
        throw new IllegalArgumentException("a " + key.type().label() + " " + key.bits()
                + " key is not one of the generated key types (RSA 4096, 3072, 2048 or Ed25519)");
    }
}
