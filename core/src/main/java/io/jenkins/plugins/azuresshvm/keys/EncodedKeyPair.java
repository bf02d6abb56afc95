package io.jenkins.plugins.azuresshvm.keys;

import java.util.Objects;

/**
 * A private key as the text of its file, with its public key: what a credential store keeps of a generated pair.
 * Generated keys are written in the format their type is read best in ({@link PrivateKeyFormat#defaultFor}: RSA as
 * PEM PKCS#1, Ed25519 as OpenSSH). {@link #toString()} never shows the private key.
 */
public final class EncodedKeyPair {
    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private final String privateKeyText;
    private final SshPublicKey publicKey;

    private EncodedKeyPair(String privateKeyText, SshPublicKey publicKey) {
        this.privateKeyText = privateKeyText;
        this.publicKey = publicKey;
    }

    /**
     * Generates a key pair and writes its private key in the type's default format.
     *
     * @param passphrase {@code null} or empty for an unencrypted private key
     */
    public static EncodedKeyPair generate(SshKeyGenerator generator, KeyGenSpec spec, char[] passphrase) {
        SshKeyPair pair = generator.generate(spec, "");
        String text = new PrivateKeyEncoder().encode(pair, PrivateKeyFormat.defaultFor(spec.type()), passphrase);
        return new EncodedKeyPair(text, pair.publicKey());
    }

    /**
     * Reads a stored private key.
     *
     * @param source names the key in error messages (never its content)
     * @param passphrase {@code null} when the key has none
     * @throws PassphraseException when the passphrase is missing or wrong
     * @throws KeyFormatException when the text is not a private key we can read
     */
    public static EncodedKeyPair decode(String source, String privateKeyText, char[] passphrase)
            throws KeyFormatException {
        Objects.requireNonNull(privateKeyText, "privateKeyText");
        SshKeyPair pair = PrivateKeyDecoder.decode(source, privateKeyText, passphrase);
        return new EncodedKeyPair(privateKeyText, pair.publicKey().withComment(""));
    }

    /**
     * The same key in the same format, encrypted with {@code next} instead of {@code current}.
     *
     * @param next {@code null} or empty to store the key unencrypted
     * @throws PassphraseException when {@code current} does not open the key
     */
    public EncodedKeyPair withPassphrase(String source, char[] current, char[] next) throws KeyFormatException {
        SshKeyPair pair = PrivateKeyDecoder.decode(source, privateKeyText, current);
        return new EncodedKeyPair(new PrivateKeyEncoder().encode(pair, format(), next), publicKey);
    }

    /** The private key file's text: PEM or OpenSSH, encrypted when a passphrase was given. */
    public String privateKeyText() {
        return privateKeyText;
    }

    /** The public key, without comment. */
    public SshPublicKey publicKey() {
        return publicKey;
    }

    /** The format the private key is written in. */
    public PrivateKeyFormat format() {
        return privateKeyText.startsWith(OPENSSH_BEGIN) ? PrivateKeyFormat.OPENSSH : PrivateKeyFormat.PEM;
    }

    @Override
    public String toString() {
        return "EncodedKeyPair[" + publicKey.type().label() + " " + format() + " " + publicKey.fingerprint() + "]";
    }
}
