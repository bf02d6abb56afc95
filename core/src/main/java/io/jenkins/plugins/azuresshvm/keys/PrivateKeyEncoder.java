package io.jenkins.plugins.azuresshvm.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;

/**
 * Writes private key files as {@code ssh-keygen} does: openssh-key-v1 (via Apache MINA SSHD) or PEM (via Bouncy
 * Castle), optionally encrypted with a passphrase.
 */
public final class PrivateKeyEncoder {
    private final SecureRandom random;

    public PrivateKeyEncoder() {
        this(new SecureRandom());
    }

    public PrivateKeyEncoder(SecureRandom random) {
        this.random = random;
    }

    /**
     * The private key file's text.
     *
     * @param passphrase {@code null} or empty for an unencrypted file
     * @throws IllegalArgumentException when the format cannot hold this key type
     */
    public String encode(SshKeyPair pair, PrivateKeyFormat format, char[] passphrase) {
        format.checkSupports(pair.type());
        boolean encrypt = passphrase != null && passphrase.length > 0;
        try {
            return switch (format) {
                case OPENSSH -> openSsh(pair, encrypt ? passphrase : null);
                case PEM -> pem(pair.keyPair().getPrivate(), encrypt ? passphrase : null);
            };
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the " + pair.type().label() + " private key as " + format
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private String openSsh(SshKeyPair pair, char[] passphrase) throws IOException, GeneralSecurityException {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName(OpenSSHKeyEncryptionContext.AES);
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setPassword(new String(passphrase));
        }
        KeyPair keyPair = pair.keyPair();
        if (keyPair.getPrivate() instanceof RSAPrivateCrtKey rsa) {
            keyPair = new KeyPair(keyPair.getPublic(), largerPrimeFirst(rsa));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, pair.comment(), encryption, out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private String pem(PrivateKey key, char[] passphrase) throws IOException {
        PEMEncryptor encryptor = passphrase == null ? null
                : new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(BouncyCastle.PROVIDER)
                        .setSecureRandom(random)
                        .build(passphrase);
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaMiscPEMGenerator(key, encryptor));
        }
        return text.toString();
    }

    /**
     * The same RSA key with p &gt; q: ssh-keygen always writes that order, and Jenkins' trilead-ssh2 mis-reads
     * openssh-key-v1 keys that have p &lt; q.
     */
    static RSAPrivateCrtKey largerPrimeFirst(RSAPrivateCrtKey key) throws GeneralSecurityException {
        BigInteger p = key.getPrimeP();
        BigInteger q = key.getPrimeQ();
        if (p.compareTo(q) > 0) {
            return key;
        }
        BigInteger d = key.getPrivateExponent();
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(
                key.getModulus(), key.getPublicExponent(), d, q, p,
                d.mod(q.subtract(BigInteger.ONE)), d.mod(p.subtract(BigInteger.ONE)), p.modInverse(q)));
    }
}
