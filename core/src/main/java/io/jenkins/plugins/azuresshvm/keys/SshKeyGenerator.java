package io.jenkins.plugins.azuresshvm.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Generates SSH key pairs: RSA on all cores ({@link RsaKeyPairGenerator}), Ed25519 and ECDSA with Bouncy Castle. */
public final class SshKeyGenerator {
    private final SecureRandom random;
    private final RsaKeyPairGenerator rsa;

    /** A generator using a fresh {@link SecureRandom} and every available core for RSA. */
    public SshKeyGenerator() {
        this(new SecureRandom(), Runtime.getRuntime().availableProcessors());
    }

    /** A generator using {@code random}, and {@code rsaThreads} threads for the RSA prime search. */
    public SshKeyGenerator(SecureRandom random, int rsaThreads) {
        this.random = random;
        this.rsa = new RsaKeyPairGenerator(random, rsaThreads);
    }

    /** A new key pair of the given type and size, with a comment (may be empty). */
    public SshKeyPair generate(KeyGenSpec spec, String comment) {
        return new SshKeyPair(generate(spec), comment);
    }

    private KeyPair generate(KeyGenSpec spec) {
        try {
            return switch (spec.type()) {
                case RSA -> rsa.generate(spec.bits());
                case ED25519 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER);
                    generator.initialize(256, random);
                    yield generator.generateKeyPair();
                }
                case ECDSA -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp" + spec.bits() + "r1"), random);
                    yield generator.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec + " key: " + e.getMessage(), e);
        }
    }
}
