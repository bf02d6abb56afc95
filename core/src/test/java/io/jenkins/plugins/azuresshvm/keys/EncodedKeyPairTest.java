package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated pairs as a credential store keeps them, checked by the real {@code ssh-keygen}. */
class EncodedKeyPairTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();

    @TempDir
    Path dir;

    static Stream<Arguments> typesAndPassphrases() {
        return Stream.of(
                Arguments.of(KeyGenSpec.rsa(2048), null),
                Arguments.of(KeyGenSpec.rsa(2048), PASSPHRASE),
                Arguments.of(KeyGenSpec.ed25519(), null),
                Arguments.of(KeyGenSpec.ed25519(), PASSPHRASE));
    }

    @ParameterizedTest(name = "{0} passphrase={1}")
    @MethodSource("typesAndPassphrases")
    void generatesRsaAsPemPkcs1AndEd25519AsOpenSshThatSshKeygenReads(KeyGenSpec spec, String passphrase)
            throws Exception {
        EncodedKeyPair pair = EncodedKeyPair.generate(GENERATOR, spec, chars(passphrase));

        assertThat(pair.privateKeyText()).startsWith(spec.type() == KeyType.RSA
                ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(pair.format()).isEqualTo(PrivateKeyFormat.defaultFor(spec.type()));
        assertThat(pair.publicKey().type()).isEqualTo(spec.type());
        assertThat(pair.publicKey().bits()).isEqualTo(spec.bits());
        assertThat(pair.publicKey().comment()).isEmpty();
        assertThat(sshKeygenPublicKey(pair, passphrase)).isEqualTo(pair.publicKey().keyText());
        if (passphrase != null) {
            assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", "", "-f", write(pair).toString()).exitCode())
                    .as("an encrypted key does not open without its passphrase").isNotZero();
        }
    }

    @Test
    void theDefaultIsRsa4096AsPem() throws Exception {
        EncodedKeyPair pair = EncodedKeyPair.generate(GENERATOR, KeyGenSpec.DEFAULT, null);

        assertThat(pair.format()).isEqualTo(PrivateKeyFormat.PEM);
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", write(pair).toString()).assertSuccess().stdout())
                .startsWith("4096 " + pair.publicKey().fingerprint() + " ").endsWith("(RSA)\n");
    }

    @ParameterizedTest(name = "{0} passphrase={1}")
    @MethodSource("typesAndPassphrases")
    void decodingTheStoredTextGivesTheSameKey(KeyGenSpec spec, String passphrase) throws Exception {
        EncodedKeyPair pair = EncodedKeyPair.generate(GENERATOR, spec, chars(passphrase));

        EncodedKeyPair decoded = EncodedKeyPair.decode("credential 'vm-key'", pair.privateKeyText(), chars(passphrase));

        assertThat(decoded.publicKey()).isEqualTo(pair.publicKey());
        assertThat(decoded.publicKey().comment()).isEmpty();
        assertThat(decoded.privateKeyText()).isEqualTo(pair.privateKeyText());
        assertThat(decoded.format()).isEqualTo(pair.format());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aWrongPassphraseIsRefusedWithoutShowingIt(KeyGenSpec spec) {
        EncodedKeyPair pair = EncodedKeyPair.generate(GENERATOR, spec, chars(PASSPHRASE));
        String wrong = "Not-The-Passphrase-42";

        PassphraseException e = Thrown.by(PassphraseException.class,
                () -> EncodedKeyPair.decode("credential 'vm-key'", pair.privateKeyText(), chars(wrong)));

        assertThat(e.isMissing()).isFalse();
        assertThat(e).hasMessage("credential 'vm-key': wrong passphrase for the private key")
                .hasMessageNotContaining(wrong).hasMessageNotContaining(PASSPHRASE);
        assertThat(Thrown.by(PassphraseException.class,
                () -> EncodedKeyPair.decode("credential 'vm-key'", pair.privateKeyText(), null)).isMissing()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void changingThePassphraseKeepsTheKeyAndItsFormat(KeyGenSpec spec) throws Exception {
        EncodedKeyPair original = EncodedKeyPair.generate(GENERATOR, spec, null);
        String next = "another long passphrase";

        EncodedKeyPair encrypted = original.withPassphrase("credential 'vm-key'", null, chars(next));
        EncodedKeyPair plain = encrypted.withPassphrase("credential 'vm-key'", chars(next), null);

        assertThat(encrypted.format()).isEqualTo(original.format());
        assertThat(encrypted.privateKeyText()).isNotEqualTo(original.privateKeyText());
        assertThat(sshKeygenPublicKey(encrypted, next)).isEqualTo(original.publicKey().keyText());
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", "", "-f", write(encrypted).toString()).exitCode())
                .isNotZero();
        assertThat(sshKeygenPublicKey(plain, null)).isEqualTo(original.publicKey().keyText());
        assertThat(plain.publicKey()).isEqualTo(original.publicKey());
        assertThat(Thrown.by(PassphraseException.class,
                () -> encrypted.withPassphrase("credential 'vm-key'", chars("wrong"), null)).isMissing()).isFalse();
    }

    @Test
    void toStringNamesTheKeyButNeverShowsThePrivateKey() {
        EncodedKeyPair pair = EncodedKeyPair.generate(GENERATOR, KeyGenSpec.ed25519(), null);

        assertThat(pair.toString()).isEqualTo("EncodedKeyPair[ED25519 OPENSSH " + pair.publicKey().fingerprint() + "]");
    }

    static Stream<KeyGenSpec> specs() {
        return Stream.of(KeyGenSpec.rsa(2048), KeyGenSpec.ed25519());
    }

    private String sshKeygenPublicKey(EncodedKeyPair pair, String passphrase) throws Exception {
        return OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", passphrase == null ? "" : passphrase, "-f",
                write(pair).toString()).assertSuccess().stdout().strip();
    }

    private Path write(EncodedKeyPair pair) throws Exception {
        Path key = Files.createTempFile(dir, "key", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(key, pair.privateKeyText());
        return key;
    }

    private static char[] chars(String text) {
        return text == null ? null : text.toCharArray();
    }
}
