package io.jenkins.plugins.azuresshvm.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Collection;
import java.util.Map;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHKeyPairResourceParser;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHParserContext;
import org.apache.sshd.common.session.SessionContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads every private key file {@code ssh-keygen} writes: openssh-key-v1 (via Apache MINA SSHD), PEM PKCS#1/SEC1 and
 * PKCS#8 (via Bouncy Castle), each plain or encrypted, for RSA, ECDSA and Ed25519.
 */
public final class PrivateKeyDecoder {
    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private PrivateKeyDecoder() {}

    /** Whether {@code text} looks like a private key file (a PEM-style {@code BEGIN … PRIVATE KEY} armour). */
    public static boolean looksLikePrivateKey(String text) {
        String first = firstLine(text);
        return first.startsWith("-----BEGIN ") && first.contains("PRIVATE KEY");
    }

    /**
     * Decodes a private key file.
     *
     * @param source names the file in error messages
     * @param passphrase {@code null} when none was given
     * @throws PassphraseException when the key is encrypted and the passphrase is missing or wrong
     * @throws KeyFormatException when the text is not a private key we can read
     */
    public static SshKeyPair decode(String source, String text, char[] passphrase) throws KeyFormatException {
        String first = firstLine(text);
        if (first.isEmpty()) {
            throw new KeyFormatException(source, 0, "the file is empty");
        }
        if (first.charAt(0) == '\uFEFF') {
            throw new KeyFormatException(source, 1, "the file starts with a UTF-8 byte-order mark (BOM);"
                    + " save it without one");
        }
        if (first.equals(OPENSSH_BEGIN)) {
            SshKeyPair pair = decodeOpenSsh(source, text, passphrase).pair();
            if (pair == null) {
                throw PassphraseException.missing(source);
            }
            return pair;
        }
        if (first.startsWith("-----BEGIN ") && first.endsWith("PRIVATE KEY-----")) {
            return new SshKeyPair(decodePem(source, text, passphrase), "");
        }
        throw new KeyFormatException(source, 1, "not a private key file (no '-----BEGIN … PRIVATE KEY-----' line)");
    }

    /**
     * The public key of an openssh-key-v1 file, which is stored unencrypted, without a passphrase; {@code null} for
     * other formats.
     */
    public static SshPublicKey publicKeyOf(String source, String text) throws KeyFormatException {
        if (!firstLine(text).equals(OPENSSH_BEGIN)) {
            return null;
        }
        PublicKey key = decodeOpenSsh(source, text, null).publicKey();
        if (key == null) {
            throw new KeyFormatException(source, 0, "the OpenSSH private key holds no public key");
        }
        return SshPublicKey.of(key, "");
    }

    private record OpenSshResult(SshKeyPair pair, PublicKey publicKey) {}

    private static OpenSshResult decodeOpenSsh(String source, String text, char[] passphrase)
            throws KeyFormatException {
        CommentCapturingParser parser = new CommentCapturingParser();
        boolean[] asked = {false};
        FilePasswordProvider provider = new FilePasswordProvider() {
            @Override
            public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
                asked[0] = true;
                return passphrase == null ? null : new String(passphrase);
            }
        };
        Collection<KeyPair> pairs;
        try {
            pairs = parser.loadKeyPairs(null, NamedResource.ofName(source), provider, text.lines().toList());
        } catch (FailedLoginException e) {
            if (passphrase == null && parser.publicKey != null) {
                return new OpenSshResult(null, parser.publicKey);
            }
            throw PassphraseException.missing(source);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (parser.publicKey != null && asked[0] && passphrase != null && passphrase.length > 0) {
                throw PassphraseException.wrong(source);
            }
            throw new KeyFormatException(source, 0, "corrupt OpenSSH private key (" + safeReason(e) + ")");
        }
        if (pairs.size() != 1) {
            throw new KeyFormatException(source, 0, "the OpenSSH private key file holds " + pairs.size()
                    + " keys; exactly one is supported");
        }
        return new OpenSshResult(new SshKeyPair(pairs.iterator().next(), parser.comment), parser.publicKey);
    }

    /** MINA's parser, keeping the comment and the public key it reads on the way. */
    private static final class CommentCapturingParser extends OpenSSHKeyPairResourceParser {
        private String comment = "";
        private PublicKey publicKey;

        @Override
        protected PublicKey readPublicKey(SessionContext session, NamedResource resourceKey,
                OpenSSHParserContext context, InputStream stream, Map<String, String> headers)
                throws IOException, GeneralSecurityException {
            PublicKey key = super.readPublicKey(session, resourceKey, context, stream, headers);
            publicKey = publicKey == null ? key : publicKey;
            return key;
        }

        @Override
        protected Map.Entry<PrivateKey, String> readPrivateKey(SessionContext session, NamedResource resourceKey,
                OpenSSHParserContext context, String keyType, FilePasswordProvider passwordProvider,
                InputStream stream) throws IOException, GeneralSecurityException {
            Map.Entry<PrivateKey, String> entry =
                    super.readPrivateKey(session, resourceKey, context, keyType, passwordProvider, stream);
            comment = entry.getValue() == null ? "" : entry.getValue();
            return entry;
        }
    }

    private static KeyPair decodePem(String source, String text, char[] passphrase) throws KeyFormatException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER);
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException(source, 0, "corrupt PEM private key (" + safeReason(e) + ")");
        }
        try {
            if (object instanceof PEMKeyPair plain) {
                return completed(converter.getKeyPair(plain));
            }
            if (object instanceof PEMEncryptedKeyPair encrypted) {
                requirePassphrase(source, passphrase);
                try {
                    return completed(converter.getKeyPair(encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(passphrase))));
                } catch (PEMException e) {
                    throw PassphraseException.wrong(source);
                }
            }
            if (object instanceof PrivateKeyInfo info) {
                return withPublicKey(converter.getPrivateKey(info));
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                requirePassphrase(source, passphrase);
                PrivateKeyInfo info;
                try {
                    info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(BouncyCastle.PROVIDER).build(passphrase));
                } catch (PKCSException e) {
                    throw PassphraseException.wrong(source);
                }
                return withPublicKey(converter.getPrivateKey(info));
            }
        } catch (OperatorCreationException | GeneralSecurityException | IOException | RuntimeException e) {
            throw new KeyFormatException(source, 0, "unreadable PEM private key (" + safeReason(e) + ")");
        }
        String kind = object == null ? "nothing readable" : "a " + object.getClass().getSimpleName();
        throw new KeyFormatException(source, 0, "unsupported private key: the PEM block holds " + kind);
    }

    private static void requirePassphrase(String source, char[] passphrase) throws PassphraseException {
        if (passphrase == null || passphrase.length == 0) {
            throw PassphraseException.missing(source);
        }
    }

    /** SEC1 files written without the public point still decode: derive it. */
    private static KeyPair completed(KeyPair pair) throws GeneralSecurityException {
        return pair.getPublic() != null ? pair : withPublicKey(pair.getPrivate());
    }

    private static KeyPair withPublicKey(PrivateKey key) throws GeneralSecurityException {
        PublicKey publicKey;
        if (key instanceof RSAPrivateCrtKey rsa) {
            publicKey = KeyFactory.getInstance("RSA", BouncyCastle.PROVIDER)
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        } else if (key instanceof ECPrivateKey ec) {
            publicKey = KeyFactory.getInstance("EC", BouncyCastle.PROVIDER).generatePublic(new ECPublicKeySpec(
                    ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters()));
        } else if (key instanceof EdDSAPrivateKey ed) {
            publicKey = ed.getPublicKey();
        } else {
            throw new GeneralSecurityException("unsupported private key algorithm " + key.getAlgorithm());
        }
        return new KeyPair(publicKey, key);
    }

    /** An exception's kind and message, which for these libraries name the structure, never key bytes. */
    private static String safeReason(Exception e) {
        return e.getClass().getSimpleName();
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    }
}
