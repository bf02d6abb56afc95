package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every key type × format × passphrase we write is read back by the real {@code ssh-keygen}. */
class GeneratedKeysInteropTest {
    private static final String PASSPHRASE = "correct horse battery";
    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();
    private static final Map<KeyGenSpec, SshKeyPair> KEYS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    static Stream<Arguments> everyTypeFormatAndPassphrase() {
        List<KeyGenSpec> specs = List.of(KeyGenSpec.DEFAULT, KeyGenSpec.rsa(2048), KeyGenSpec.ed25519(),
                KeyGenSpec.ecdsa(256), KeyGenSpec.ecdsa(384), KeyGenSpec.ecdsa(521));
        List<Arguments> cases = new ArrayList<>();
        for (KeyGenSpec spec : specs) {
            for (PrivateKeyFormat format : PrivateKeyFormat.values()) {
                if (format == PrivateKeyFormat.PEM && spec.type() == KeyType.ED25519) {
                    continue;
                }
                if (spec.equals(KeyGenSpec.DEFAULT) && format != PrivateKeyFormat.PEM) {
                    continue; // the other RSA formats run at 2048 bits, to keep the suite fast
                }
                cases.add(Arguments.of(spec, format, null));
                cases.add(Arguments.of(spec, format, PASSPHRASE));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2}")
    @MethodSource("everyTypeFormatAndPassphrase")
    void sshKeygenDerivesTheSamePublicKeyAndFingerprint(KeyGenSpec spec, PrivateKeyFormat format, String passphrase)
            throws Exception {
        SshKeyPair pair = keyFor(spec).withComment("interop@test");
        Path key = write(pair, format, passphrase);

        OpenSsh.Result derived = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", orEmpty(passphrase), "-f",
                key.toString()).assertSuccess();
        assertThat(derived.stdout().strip().split(" ")).startsWith(pair.publicKey().keyText().split(" "));

        Path derivedFile = dir.resolve("derived.pub");
        Files.writeString(derivedFile, derived.stdout());
        String listed = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", derivedFile.toString()).assertSuccess().stdout();
        assertThat(listed).startsWith(spec.bits() + " " + pair.publicKey().fingerprint() + " ")
                .endsWith("(" + spec.type().label() + ")\n");

        String ourLine = new FingerprintListing.Entry(pair.publicKey(), pair.comment())
                .toLine(Fingerprint.Algorithm.SHA256);
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", KeyPairFiles.publicKeyPath(key).toString())
                .assertSuccess().stdout()).isEqualTo(ourLine + "\n");
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2}")
    @MethodSource("everyTypeFormatAndPassphrase")
    void writesTheFileFormatAskedForWithOwnerOnlyMode(KeyGenSpec spec, PrivateKeyFormat format, String passphrase)
            throws Exception {
        SshKeyPair pair = keyFor(spec);
        Path key = write(pair, format, passphrase);
        String text = Files.readString(key);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(KeyPairFiles.publicKeyPath(key))))
                .isEqualTo("rw-r--r--");
        if (format == PrivateKeyFormat.PEM) {
            assertThat(text).startsWith(spec.type() == KeyType.RSA
                    ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
            if (passphrase != null) {
                assertThat(text).contains("Proc-Type: 4,ENCRYPTED").contains("DEK-Info: AES-128-CBC,");
            }
        } else {
            assertThat(text).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
            String header = new String(openSshBlob(text), 0, 64, StandardCharsets.ISO_8859_1);
            assertThat(header).startsWith("openssh-key-v1");
            if (passphrase != null) {
                assertThat(header).contains("aes256-ctr").contains("bcrypt");
            } else {
                assertThat(header).contains("none");
            }
        }
        if (passphrase == null) {
            assertThat(text).doesNotContain("ENCRYPTED");
        }
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2}")
    @MethodSource("everyTypeFormatAndPassphrase")
    void wrongPassphraseIsRefusedBySshKeygenAndByUs(KeyGenSpec spec, PrivateKeyFormat format, String passphrase)
            throws Exception {
        if (passphrase == null) {
            return;
        }
        Path key = write(keyFor(spec), format, passphrase);

        String wrong = "Not-The-Passphrase-42";
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", wrong, "-f", key.toString()).exitCode()).isNotZero();
        assertThatThrownBy(() -> KeyPairFiles.readPrivateKey(key, wrong.toCharArray()))
                .isInstanceOfSatisfying(PassphraseException.class, e -> assertThat(e.isMissing()).isFalse())
                .hasMessage(key + ": wrong passphrase for the private key")
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(passphrase);
        assertThatThrownBy(() -> KeyPairFiles.readPrivateKey(key, null))
                .isInstanceOfSatisfying(PassphraseException.class, e -> assertThat(e.isMissing()).isTrue());
        assertThat(KeyPairFiles.readPrivateKey(key, passphrase.toCharArray()).type()).isEqualTo(spec.type());
    }

    @ParameterizedTest(name = "passphrase={0}")
    @MethodSource("passphrases")
    void rsaKeysInOpenSshFormatHaveTheLargerPrimeFirst(String passphrase) throws Exception {
        // Jenkins' trilead-ssh2 mis-reads openssh-key-v1 RSA keys with p < q; no peer here shows it, so check the
        // written file with Bouncy Castle's independent reader. Several keys: the JDK order is random.
        for (int i = 0; i < 4; i++) {
            Path key = write(GENERATOR.generate(KeyGenSpec.rsa(2048), ""), PrivateKeyFormat.OPENSSH, passphrase);
            if (passphrase != null) {
                // ssh-keygen -p decrypts in place and keeps the prime order: Bouncy Castle 1.84 (Jenkins' bundle)
                // reads only unencrypted openssh-key-v1
                OpenSsh.run(OpenSsh.sshKeygen(), "-p", "-P", passphrase, "-N", "", "-f", key.toString())
                        .assertSuccess();
            }
            byte[] blob = openSshBlob(Files.readString(key));
            RSAPrivateCrtKeyParameters rsa = (RSAPrivateCrtKeyParameters) OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
            assertThat(rsa.getP()).isGreaterThan(rsa.getQ());
            assertThat(rsa.getQInv()).isEqualTo(rsa.getQ().modInverse(rsa.getP()));
            assertThat(rsa.getP().multiply(rsa.getQ())).isEqualTo(rsa.getModulus());
        }
    }

    @org.junit.jupiter.api.Test
    void reorderingPrimesKeepsTheSameKey() throws Exception {
        SshKeyPair pair = GENERATOR.generate(KeyGenSpec.rsa(2048), "");
        var original = (java.security.interfaces.RSAPrivateCrtKey) pair.keyPair().getPrivate();
        var swapped = (java.security.interfaces.RSAPrivateCrtKey) java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.RSAPrivateCrtKeySpec(original.getModulus(),
                        original.getPublicExponent(), original.getPrivateExponent(), original.getPrimeQ(),
                        original.getPrimeP(), original.getPrimeExponentQ(), original.getPrimeExponentP(),
                        original.getPrimeP().modInverse(original.getPrimeQ())));
        var reordered = PrivateKeyEncoder.largerPrimeFirst(swapped);
        assertThat(reordered.getPrimeP()).isEqualTo(original.getPrimeP().max(original.getPrimeQ()));
        assertThat(reordered.getPrimeExponentP())
                .isEqualTo(reordered.getPrivateExponent().mod(reordered.getPrimeP().subtract(BigInteger.ONE)));
        assertThat(reordered.getCrtCoefficient()).isEqualTo(reordered.getPrimeQ().modInverse(reordered.getPrimeP()));
        // the reordered key still signs for the same public key, checked by ssh-keygen
        Path key = write(new SshKeyPair(new java.security.KeyPair(pair.keyPair().getPublic(), swapped), ""),
                PrivateKeyFormat.OPENSSH, null);
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-f", key.toString()).assertSuccess().stdout().strip())
                .isEqualTo(pair.publicKey().keyText());
    }

    /** One key per spec for the whole class: generating RSA keys is the slow part. */
    private static SshKeyPair keyFor(KeyGenSpec spec) {
        return KEYS.computeIfAbsent(spec, s -> GENERATOR.generate(s, ""));
    }

    static Stream<String> passphrases() {
        return Stream.of(null, PASSPHRASE);
    }

    private Path write(SshKeyPair pair, PrivateKeyFormat format, String passphrase) throws Exception {
        Path key = Files.createTempDirectory(dir, "key").resolve("id");
        String text = new PrivateKeyEncoder().encode(pair, format, passphrase == null ? null : passphrase.toCharArray());
        KeyPairFiles.write(key, text, pair.publicKey(), false);
        return key;
    }

    private static byte[] openSshBlob(String text) {
        return Base64.getDecoder().decode(text.lines()
                .filter(line -> !line.startsWith("-----"))
                .collect(Collectors.joining()));
    }

    private static String orEmpty(String passphrase) {
        return passphrase == null ? "" : passphrase;
    }
}
