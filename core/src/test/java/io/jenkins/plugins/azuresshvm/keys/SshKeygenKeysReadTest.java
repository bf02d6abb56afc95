package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type × format × passphrase the real {@code ssh-keygen} writes, we read, with its fingerprint. */
class SshKeygenKeysReadTest {
    private static final String PASSPHRASE = "sesame open";

    @TempDir
    Path dir;

    static Stream<Arguments> everyFileSshKeygenWrites() {
        List<Arguments> cases = new ArrayList<>();
        for (String type : List.of("rsa", "ecdsa", "ed25519")) {
            for (String format : List.of("RFC4716", "PEM", "PKCS8")) {
                cases.add(Arguments.of(type, format, null));
                cases.add(Arguments.of(type, format, PASSPHRASE));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "ssh-keygen -t {0} -m {1}, passphrase={2}")
    @MethodSource("everyFileSshKeygenWrites")
    void readsTheKeyAndComputesSshKeygensFingerprint(String type, String format, String passphrase)
            throws Exception {
        Path key = sshKeygen(type, format, passphrase);
        String expected = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", key + ".pub").assertSuccess().stdout();
        String expectedMd5 = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-E", "md5", "-f", key + ".pub")
                .assertSuccess().stdout();

        SshKeyPair pair = KeyPairFiles.readPrivateKey(key, passphrase == null ? null : passphrase.toCharArray());

        assertThat(expected.split(" ")[1]).isEqualTo(pair.publicKey().fingerprint().toString());
        assertThat(expectedMd5.split(" ")[1])
                .isEqualTo(pair.publicKey().fingerprint(Fingerprint.Algorithm.MD5).toString());
        assertThat(expected).startsWith(pair.publicKey().bits() + " ")
                .endsWith("(" + pair.type().label() + ")\n");
        assertThat(pair.publicKey().keyText() + " made-by-ssh-keygen\n").isEqualTo(Files.readString(Path.of(key
                + ".pub")));
        if (Files.readString(key).startsWith("-----BEGIN OPENSSH")) {
            assertThat(pair.comment()).isEqualTo("made-by-ssh-keygen");
        }
    }

    @ParameterizedTest(name = "ssh-keygen -t {0} -m {1}, passphrase={2}")
    @MethodSource("everyFileSshKeygenWrites")
    void refusesMissingAndWrongPassphrases(String type, String format, String passphrase) throws Exception {
        if (passphrase == null) {
            return;
        }
        Path key = sshKeygen(type, format, passphrase);

        assertThatThrownBy(() -> KeyPairFiles.readPrivateKey(key, null))
                .isInstanceOfSatisfying(PassphraseException.class, e -> assertThat(e.isMissing()).isTrue())
                .hasMessage(key + ": the private key is encrypted; a passphrase is needed");
        assertThatThrownBy(() -> KeyPairFiles.readPrivateKey(key, "Open-Barley".toCharArray()))
                .isInstanceOfSatisfying(PassphraseException.class, e -> assertThat(e.isMissing()).isFalse())
                .hasMessage(key + ": wrong passphrase for the private key");
    }

    private Path sshKeygen(String type, String format, String passphrase) throws Exception {
        Path key = Files.createTempDirectory(dir, type).resolve("id_" + type);
        List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-m", format, "-C", "made-by-ssh-keygen",
                "-N", passphrase == null ? "" : passphrase, "-f", key.toString()));
        if (type.equals("rsa")) {
            args.addAll(List.of("-b", "2048"));
        }
        OpenSsh.run(OpenSsh.sshKeygen(), args.toArray(String[]::new)).assertSuccess();
        return key;
    }
}
