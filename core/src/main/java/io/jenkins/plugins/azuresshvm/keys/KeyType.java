package io.jenkins.plugins.azuresshvm.keys;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Locale;

/** The SSH key algorithms we generate and read, with the sizes each allows. */
public enum KeyType {
    /** RSA, 2048 to 16384 bits; Azure's default and the only type every Jenkins SSH component reads. */
    RSA("rsa", "RSA", 4096, List.of(), true),
    /** Ed25519 (always 256 bits); accepted by Azure for Linux VMs. */
    ED25519("ed25519", "ED25519", 256, List.of(256), true),
    /** ECDSA on NIST P-256/384/521; fine for local use, refused by Azure for VM admin keys. */
    ECDSA("ecdsa", "ECDSA", 256, List.of(256, 384, 521), false);

    /** Smallest RSA modulus we generate; Azure refuses smaller keys. */
    public static final int RSA_MIN_BITS = 2048;
    /** Largest RSA modulus we generate, as ssh-keygen. */
    public static final int RSA_MAX_BITS = 16384;

    private final String cliName;
    private final String label;
    private final int defaultBits;
    private final List<Integer> fixedSizes;
    private final boolean acceptedByAzure;

    KeyType(String cliName, String label, int defaultBits, List<Integer> fixedSizes, boolean acceptedByAzure) {
        this.cliName = cliName;
        this.label = label;
        this.defaultBits = defaultBits;
        this.fixedSizes = fixedSizes;
        this.acceptedByAzure = acceptedByAzure;
    }

    /** The name used on command lines ({@code ssh-keygen -t}): {@code rsa}, {@code ed25519}, {@code ecdsa}. */
    public String cliName() {
        return cliName;
    }

    /** The label {@code ssh-keygen -l} prints in parentheses: {@code RSA}, {@code ED25519}, {@code ECDSA}. */
    public String label() {
        return label;
    }

    /** The size generated when none is asked for. */
    public int defaultBits() {
        return defaultBits;
    }

    /** Whether Azure accepts this type as a Linux VM's SSH public key. */
    public boolean acceptedByAzure() {
        return acceptedByAzure;
    }

    /**
     * Checks that {@code bits} is a size this type can be generated with.
     *
     * @throws IllegalArgumentException naming the size and what is allowed
     */
    public void checkBits(int bits) {
        if (this == RSA) {
            if (bits < RSA_MIN_BITS) {
                throw new IllegalArgumentException("RSA key size " + bits + " is below the minimum of "
                        + RSA_MIN_BITS + " bits (Azure refuses smaller keys)");
            }
            if (bits > RSA_MAX_BITS) {
                throw new IllegalArgumentException("RSA key size " + bits + " is above the maximum of "
                        + RSA_MAX_BITS + " bits");
            }
        } else if (!fixedSizes.contains(bits)) {
            throw new IllegalArgumentException(label + " key size " + bits + " is not supported; use "
                    + (fixedSizes.size() == 1 ? String.valueOf(fixedSizes.get(0)) : "one of " + fixedSizes));
        }
    }

    /** The type named on a command line ({@code rsa}, {@code ed25519}, {@code ecdsa}; case-insensitive). */
    public static KeyType fromCliName(String name) {
        for (KeyType type : values()) {
            if (type.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "'; use rsa, ed25519 or ecdsa");
    }

    /** The type of a decoded public key. */
    public static KeyType of(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return RSA;
        }
        if (key instanceof ECPublicKey) {
            return ECDSA;
        }
        String algorithm = key.getAlgorithm();
        if ("Ed25519".equalsIgnoreCase(algorithm) || "EdDSA".equalsIgnoreCase(algorithm)) {
            return ED25519;
        }
        throw new IllegalArgumentException("unsupported key algorithm " + algorithm);
    }
}
