package io.jenkins.plugins.azuresshvm.emulator.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The emulator's TLS identity, generated at start: a throwaway CA and a server certificate it signs for
 * {@code localhost} and {@code 127.0.0.1}. Clients trust the CA through {@link #caCertificatePem()} or the PKCS12
 * {@link #trustStore()}.
 */
public final class TlsMaterial {

    /** Password of the trust store (it holds only the public CA certificate). */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private static final Duration VALIDITY = Duration.ofDays(365);

    private final SSLContext sslContext;
    private final Path caCertificatePem;
    private final Path trustStore;

    private TlsMaterial(SSLContext sslContext, Path caCertificatePem, Path trustStore) {
        this.sslContext = sslContext;
        this.caCertificatePem = caCertificatePem;
        this.trustStore = trustStore;
    }

    /** Generates the CA and server certificate; writes {@code ca.pem} and {@code truststore.p12} into {@code dir}. */
    public static TlsMaterial generate(Path dir) throws IOException {
        try {
            KeyPair caKeys = ecKeyPair();
            KeyPair serverKeys = ecKeyPair();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=Azure ARM emulator CA " + now.toEpochMilli());

            X509v3CertificateBuilder ca = builder(caName, caName, now, caKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());

            X509v3CertificateBuilder server = builder(caName, new X500Name("CN=localhost"), now, serverKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
                    }))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCert));
            X509Certificate serverCert = sign(server, caKeys.getPrivate());

            char[] noPassword = new char[0];
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", serverKeys.getPrivate(), noPassword, new Certificate[] {serverCert, caCert});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, noPassword);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);

            Path pem = dir.resolve("ca.pem");
            try (Writer out = Files.newBufferedWriter(pem, StandardCharsets.US_ASCII);
                    JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(caCert);
            }
            Path trustStore = dir.resolve("truststore.p12");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("azure-arm-emulator-ca", caCert);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            return new TlsMaterial(context, pem, trustStore);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot generate the emulator's TLS certificate", e);
        }
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    public Path caCertificatePem() {
        return caCertificatePem;
    }

    public Path trustStore() {
        return trustStore;
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant now, KeyPair keys) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
