package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Fingerprint}: computed as, printed as and compared like {@code ssh-keygen -l} fingerprints. */
class FingerprintTest {
    @TempDir
    static Path dir;

    private static Path ed25519Pub;
    private static Path ecdsaPub;

    @BeforeAll
    static void generateKeysWithSshKeygen() {
        ed25519Pub = generate("ed25519", "-t", "ed25519");
        ecdsaPub = generate("ecdsa", "-t", "ecdsa");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa"})
    void sha256FingerprintIsTheOneSshKeygenPrints(String type) throws Exception {
        Path pub = pubOf(type);
        String printed = keygenFingerprint(pub, "sha256");

        Fingerprint ours = SshPublicKey.parse(Files.readString(pub)).fingerprint();

        assertThat(ours.algorithm()).isEqualTo(Fingerprint.Algorithm.SHA256);
        assertThat(ours.toString()).isEqualTo(printed);
        assertThat(Fingerprint.parse(printed)).isEqualTo(ours);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa"})
    void md5FingerprintIsTheOneSshKeygenPrintsWithEMd5(String type) throws Exception {
        Path pub = pubOf(type);
        String printed = keygenFingerprint(pub, "md5");

        Fingerprint ours = SshPublicKey.parse(Files.readString(pub)).fingerprint(Fingerprint.Algorithm.MD5);

        assertThat(ours.algorithm()).isEqualTo(Fingerprint.Algorithm.MD5);
        assertThat(ours.toString()).isEqualTo(printed);
        assertThat(Fingerprint.parse(printed)).isEqualTo(ours);
    }

    @Test
    void printsSha256WithoutBase64Padding() throws Exception {
        assertThat(key().fingerprint().toString()).startsWith("SHA256:").doesNotContain("=").hasSize(7 + 43);
    }

    @Test
    void paddedAndUnpaddedSha256ParseToTheSameFingerprint() {
        String printed = keygenFingerprint(ed25519Pub, "sha256");

        Fingerprint unpadded = Fingerprint.parse(printed);
        Fingerprint padded = Fingerprint.parse(printed + "=");

        assertThat(padded).isEqualTo(unpadded).hasSameHashCodeAs(unpadded);
        assertThat(padded.toString()).isEqualTo(printed);
    }

    @Test
    void acceptsSha256WithoutPrefixAndWithLowerCasePrefix() {
        String printed = keygenFingerprint(ed25519Pub, "sha256");
        String base64 = printed.substring("SHA256:".length());

        assertThat(Fingerprint.parse(base64)).isEqualTo(Fingerprint.parse(printed));
        assertThat(Fingerprint.parse(base64 + "=")).isEqualTo(Fingerprint.parse(printed));
        assertThat(Fingerprint.parse("sha256:" + base64)).isEqualTo(Fingerprint.parse(printed));
        assertThat(Fingerprint.parse("  " + printed + "\n")).isEqualTo(Fingerprint.parse(printed));
    }

    @Test
    void acceptsMd5WithPrefixAndAsBareHexPairsInEitherCase() {
        String printed = keygenFingerprint(ed25519Pub, "md5");
        String hex = printed.substring("MD5:".length());

        Fingerprint expected = Fingerprint.parse(printed);
        assertThat(Fingerprint.parse(hex)).isEqualTo(expected);
        assertThat(Fingerprint.parse(hex.toUpperCase())).isEqualTo(expected);
        assertThat(Fingerprint.parse("md5:" + hex)).isEqualTo(expected);
        assertThat(Fingerprint.parse(hex).algorithm()).isEqualTo(Fingerprint.Algorithm.MD5);
        assertThat(Fingerprint.parse(hex.toUpperCase()).toString()).isEqualTo(printed);
    }

    @Test
    void sha256AndMd5OfTheSameKeyAreNotEqual() throws Exception {
        SshPublicKey key = key();

        assertThat(key.fingerprint(Fingerprint.Algorithm.SHA256))
                .isNotEqualTo(key.fingerprint(Fingerprint.Algorithm.MD5));
        assertThat(Fingerprint.parse(keygenFingerprint(ed25519Pub, "sha256")))
                .isNotEqualTo(Fingerprint.parse(keygenFingerprint(ed25519Pub, "md5")));
    }

    @Test
    void fingerprintsOfDifferentKeysDiffer() throws Exception {
        assertThat(Fingerprint.parse(keygenFingerprint(ed25519Pub, "sha256")))
                .isNotEqualTo(Fingerprint.parse(keygenFingerprint(ecdsaPub, "sha256")));
        assertThat(Fingerprint.parse(keygenFingerprint(ed25519Pub, "md5")))
                .isNotEqualTo(Fingerprint.parse(keygenFingerprint(ecdsaPub, "md5")));
    }

    @Test
    void matchesOnlyTheKeyItWasTakenFrom() throws Exception {
        SshPublicKey ed25519 = key();
        SshPublicKey ecdsa = SshPublicKey.parse(Files.readString(ecdsaPub));

        for (String hash : new String[] {"sha256", "md5"}) {
            Fingerprint printed = Fingerprint.parse(keygenFingerprint(ed25519Pub, hash));
            assertThat(printed.matches(ed25519)).as(hash).isTrue();
            assertThat(printed.matches(ecdsa)).as(hash).isFalse();
        }
    }

    @Test
    void digestIsTheHashOfTheKeyBlob() throws Exception {
        SshPublicKey key = key();
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(key.blob());

        assertThat(Fingerprint.parse(keygenFingerprint(ed25519Pub, "sha256")).digest()).isEqualTo(sha256);
    }

    @Test
    void rejectsGarbageSayingItIsNotValidBase64() {
        assertThatThrownBy(() -> Fingerprint.parse("not a fingerprint!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'not a fingerprint!'")
                .hasMessageContaining("invalid base64");
    }

    @Test
    void rejectsSha256OfTheWrongLengthNamingTheByteCount() {
        String twentyBytes = Base64.getEncoder().withoutPadding().encodeToString(new byte[20]);

        assertThatThrownBy(() -> Fingerprint.parse("SHA256:" + twentyBytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHA256")
                .hasMessageContaining("20 bytes, not 32");
        assertThatThrownBy(() -> Fingerprint.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 bytes, not 32");
    }

    @Test
    void rejectsMd5OfTheWrongLengthAsNotAnMd5Fingerprint() {
        String fifteenPairs = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88";

        assertThatThrownBy(() -> Fingerprint.parse("MD5:" + fifteenPairs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an MD5 fingerprint (16 hex pairs joined by ':')");
        assertThatThrownBy(() -> Fingerprint.parse(fifteenPairs + ":99:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an MD5 fingerprint (16 hex pairs joined by ':')");
        assertThatThrownBy(() -> Fingerprint.parse(fifteenPairs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an MD5 fingerprint (16 hex pairs joined by ':')");
        assertThatThrownBy(() -> Fingerprint.parse("MD5:" + fifteenPairs + ":zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an MD5 fingerprint");
    }

    @Test
    void rejectsAnUnknownHashPrefixNamingIt() {
        String base64 = keygenFingerprint(ed25519Pub, "sha256").substring("SHA256:".length());

        assertThatThrownBy(() -> Fingerprint.parse("SHA1:" + base64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown hash 'SHA1'")
                .hasMessageContaining("SHA256:")
                .hasMessageContaining("MD5:");
    }

    @Test
    void algorithmIsNamedAsSshKeygenE() {
        assertThat(Fingerprint.Algorithm.fromName("sha256")).isEqualTo(Fingerprint.Algorithm.SHA256);
        assertThat(Fingerprint.Algorithm.fromName("MD5")).isEqualTo(Fingerprint.Algorithm.MD5);
        assertThatThrownBy(() -> Fingerprint.Algorithm.fromName("sha1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sha1'");
    }

    private static SshPublicKey key() throws Exception {
        return SshPublicKey.parse(Files.readString(ed25519Pub));
    }

    private static Path pubOf(String type) {
        return type.equals("ed25519") ? ed25519Pub : ecdsaPub;
    }

    /** The fingerprint field of {@code ssh-keygen -l [-E hash] -f pub}. */
    private static String keygenFingerprint(Path pub, String hash) {
        String out = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-E", hash, "-f", pub.toString())
                .assertSuccess().stdout();
        return out.split(" ")[1];
    }

    private static Path generate(String name, String... typeArgs) {
        Path key = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of(typeArgs));
        args.addAll(List.of("-q", "-N", "", "-C", name + "@test", "-f", key.toString()));
        OpenSsh.run(OpenSsh.sshKeygen(), args.toArray(String[]::new)).assertSuccess();
        return KeyPairFiles.publicKeyPath(key);
    }
}
