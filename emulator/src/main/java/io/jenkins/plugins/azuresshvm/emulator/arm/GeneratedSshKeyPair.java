package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A key pair made as {@code generateKeyPair} makes it: RSA-3072 with the private key in PKCS#1 PEM, or Ed25519 with
 * the private key in OpenSSH's format; the public key is an OpenSSH line with Azure's comment. The private key is
 * handed to the caller once and kept nowhere; {@link #toString()} leaves it out.
 *
 * @param privateKey the unencrypted private key, PEM
 * @param publicKey the public key line {@code TYPE BASE64 generated-by-azure}
 */
record GeneratedSshKeyPair(String privateKey, String publicKey) {

    private static final String COMMENT = "generated-by-azure";
    private static final SecureRandom RANDOM = new SecureRandom();

    static GeneratedSshKeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(pair.getPrivate());
            }
            return new GeneratedSshKeyPair(pem.toString(),
                    line("ssh-rsa", PublicKeyFactory.createKey(pair.getPublic().getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no RSA key pair generator", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GeneratedSshKeyPair ed25519() {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("OPENSSH PRIVATE KEY",
                    OpenSSHPrivateKeyUtil.encodePrivateKey(pair.getPrivate())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GeneratedSshKeyPair(pem.toString(), line("ssh-ed25519", pair.getPublic()));
    }

    private static String line(String type, AsymmetricKeyParameter publicKey) {
        try {
            return type + " " + Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(publicKey))
                    + " " + COMMENT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "GeneratedSshKeyPair[publicKey=" + publicKey + "]";
    }
}
