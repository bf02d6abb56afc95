package io.jenkins.plugins.azuresshvm.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProvidedHostKeys}: host keys a caller supplies, as public key lines, known_hosts lines or {@code ssh-keygen
 * -l} fingerprints, all made by real OpenSSH; and the {@link HostKeyPolicy} each gives: only the server's own key, for
 * the negotiated algorithm, is accepted.
 */
class ProvidedHostKeysTest {
    private static final String SOURCE = "host keys of template small";

    @TempDir
    static Path machine;
    @TempDir
    static Path impostor;

    private static Path etcSsh;
    /** The machine's ECDSA, Ed25519 and RSA keys, as ssh-keygen -A made them. */
    private static SshPublicKey ecdsa;
    private static SshPublicKey ed25519;
    private static SshPublicKey rsa;
    /** Keys of the same types that another machine would present. */
    private static SshPublicKey otherEd25519;
    private static SshPublicKey otherRsa;

    @BeforeAll
    static void generateHostKeys() throws Exception {
        etcSsh = Files.createDirectories(machine.resolve("etc/ssh"));
        OpenSsh.run(OpenSsh.sshKeygen(), "-A", "-f", machine.toString()).assertSuccess();
        ecdsa = SshPublicKey.parse(pub("ecdsa"));
        ed25519 = SshPublicKey.parse(pub("ed25519"));
        rsa = SshPublicKey.parse(pub("rsa"));
        Files.createDirectories(impostor.resolve("etc/ssh"));
        OpenSsh.run(OpenSsh.sshKeygen(), "-A", "-f", impostor.toString()).assertSuccess();
        otherEd25519 = SshPublicKey.parse(Files.readString(impostor.resolve("etc/ssh/ssh_host_ed25519_key.pub")));
        otherRsa = SshPublicKey.parse(Files.readString(impostor.resolve("etc/ssh/ssh_host_rsa_key.pub")));
    }

    @Test
    void readsPublicKeyLinesWithCommentsBlankLinesAndComments() throws Exception {
        String text = "# vm1, from the image build log\n" + pub("ed25519") + "\n" + pub("rsa") + "\r\n" + pub("ecdsa");

        HostKeyPolicy policy = ProvidedHostKeys.parse(SOURCE, text);

        assertThat(policy).isInstanceOfSatisfying(ExpectedHostKeys.class, keys -> {
            assertThat(keys.keys()).containsExactly(ed25519, rsa, ecdsa);
            assertThat(keys.source()).isEqualTo(SOURCE);
        });
    }

    @Test
    void readsKnownHostsLinesHashedBySshKeygenWithOneLinePerHostName() throws Exception {
        Path knownHosts = machine.resolve("known_hosts");
        Files.writeString(knownHosts, "vm1,10.0.0.4 " + ed25519.keyText() + "\n[vm1]:2222 " + rsa.keyText() + "\n");
        OpenSsh.run(OpenSsh.sshKeygen(), "-H", "-f", knownHosts.toString()).assertSuccess();

        ExpectedHostKeys keys = ProvidedHostKeys.keys(SOURCE, Files.readString(knownHosts));

        assertThat(Files.readString(knownHosts).lines()).hasSize(3).allMatch(line -> line.startsWith("|1|"));
        assertThat(keys.keys()).containsExactly(ed25519, rsa);
    }

    @Test
    void refusesKnownHostsMarkerLines() {
        assertRefused(() -> ProvidedHostKeys.keys(SOURCE, pub("ecdsa") + "\n@revoked vm1 " + ed25519.keyText()),
                SOURCE + ":2: known_hosts marker lines (@cert-authority, @revoked) do not name a host key; give the"
                        + " server's own keys");
    }

    @Test
    void refusesTwoKeysOfOneAlgorithm() {
        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, pub("ed25519") + "\n\n" + otherEd25519.toLine()),
                SOURCE + ":3: a second ssh-ed25519 host key (the first is on line 1); a server has one key per"
                        + " algorithm");
    }

    @Test
    void refusesADsaKey() throws Exception {
        Path dsa = impostor.resolve("dsa");
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", "dsa", "-N", "", "-f", dsa.toString()).assertSuccess();

        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, Files.readString(Path.of(dsa + ".pub"))),
                SOURCE + ":1: unsupported key type 'ssh-dss'; use ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521");
    }

    @Test
    void refusesNothing() {
        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, "# no keys yet\n\n"),
                SOURCE + ": no host key given; a server whose keys are unknown is never trusted");
    }

    @Test
    void readsFingerprintsAsSshKeygenPrintsThem() throws Exception {
        HostKeyPolicy policy = ProvidedHostKeys.parse(SOURCE, sshKeygenFingerprints());

        assertThat(policy).isInstanceOfSatisfying(ExpectedFingerprints.class, fingerprints ->
                assertThat(fingerprints.fingerprints()).isEqualTo(Map.of(
                        "ecdsa-sha2-nistp256", ecdsa.fingerprint(),
                        "ssh-ed25519", ed25519.fingerprint(),
                        "ssh-rsa", rsa.fingerprint())));
    }

    @Test
    void readsFingerprintsWithBase64PaddingOrWithoutComment() throws Exception {
        String text = "256 " + ed25519.fingerprint() + "= root@vm (ED25519)\n3072 " + rsa.fingerprint() + " (RSA)\n";

        ExpectedFingerprints fingerprints = ProvidedHostKeys.fingerprints(SOURCE, text);

        assertThat(fingerprints.accepts(ed25519, "ssh-ed25519")).isTrue();
        assertThat(fingerprints.accepts(rsa, "rsa-sha2-256")).isTrue();
    }

    @Test
    void refusesMd5Fingerprints() {
        String md5 = OpenSsh.run(OpenSsh.sshKeygen(), "-E", "md5", "-lf", etcSsh.resolve("ssh_host_rsa_key.pub")
                .toString()).assertSuccess().stdout();

        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, md5), SOURCE + ":1: MD5 fingerprints are not trusted; give"
                + " the SHA256 ones (ssh-keygen -l without -E md5)");
    }

    @Test
    void refusesADsaFingerprint() {
        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, "1024 " + ed25519.fingerprint() + " root@vm (DSA)"),
                SOURCE + ":1: unsupported host key type (DSA); use RSA, ECDSA or ED25519");
    }

    @Test
    void refusesAFingerprintLineWithoutType() {
        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, "256 " + ed25519.fingerprint() + " root@vm"),
                SOURCE + ":1: not a fingerprint line as ssh-keygen -l prints it (BITS SHA256:… COMMENT (TYPE))");
    }

    @Test
    void readsFingerprintsOfAKnownHostsFileWithOneLinePerHostName() throws Exception {
        Path knownHosts = machine.resolve("known_hosts_for_listing");
        Files.writeString(knownHosts, "vm1 " + ed25519.keyText() + "\n10.0.0.4 " + ed25519.keyText() + "\n");
        String listing = OpenSsh.run(OpenSsh.sshKeygen(), "-lf", knownHosts.toString()).assertSuccess().stdout();

        assertThat(ProvidedHostKeys.fingerprints(SOURCE, listing).fingerprints())
                .isEqualTo(Map.of("ssh-ed25519", ed25519.fingerprint()));
    }

    @Test
    void refusesTwoFingerprintsOfOneAlgorithm() {
        String text = "256 " + ed25519.fingerprint() + " (ED25519)\n256 " + otherEd25519.fingerprint() + " (ED25519)";

        assertRefused(() -> ProvidedHostKeys.parse(SOURCE, text), SOURCE + ":2: a second ssh-ed25519 host key (the"
                + " first is on line 1); a server has one key per algorithm");
    }

    @Test
    void bothFormsAcceptOnlyTheServersOwnKeyForTheNegotiatedAlgorithm() throws Exception {
        for (HostKeyPolicy policy : List.of(
                ProvidedHostKeys.parse(SOURCE, pub("ecdsa") + "\n" + pub("ed25519") + "\n" + pub("rsa")),
                ProvidedHostKeys.parse(SOURCE, sshKeygenFingerprints()))) {
            assertThat(policy.accepts(ed25519, "ssh-ed25519")).as("%s", policy).isTrue();
            assertThat(policy.accepts(ecdsa, "ecdsa-sha2-nistp256")).isTrue();
            assertThat(policy.accepts(rsa, "rsa-sha2-512")).isTrue();
            assertThat(policy.accepts(rsa, "rsa-sha2-256")).isTrue();
            assertThat(policy.accepts(otherEd25519, "ssh-ed25519")).as("another server's key").isFalse();
            assertThat(policy.accepts(otherRsa, "rsa-sha2-512")).as("another server's key").isFalse();
            assertThat(policy.accepts(ed25519, "ecdsa-sha2-nistp256")).as("a key of another algorithm").isFalse();
            assertThat(policy.accepts(ecdsa, "ecdsa-sha2-nistp384")).as("not negotiated").isFalse();
        }
    }

    @Test
    void bothFormsOfferOnlyTheAlgorithmsTheyCanVerify() throws Exception {
        String keys = pub("ed25519") + "\n" + pub("rsa");
        String fingerprints = "256 " + ed25519.fingerprint() + " (ED25519)\n3072 " + rsa.fingerprint() + " (RSA)";

        assertThat(ProvidedHostKeys.parse(SOURCE, keys).hostKeyAlgorithms())
                .containsExactly("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256");
        assertThat(ProvidedHostKeys.parse(SOURCE, fingerprints).hostKeyAlgorithms())
                .containsExactly("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256");
    }

    @Test
    void describesWhatWasExpectedForTheRefusalMessage() throws Exception {
        HostKeyPolicy keys = ProvidedHostKeys.parse(SOURCE, pub("ed25519"));
        HostKeyPolicy fingerprints = ProvidedHostKeys.parse(SOURCE, "256 " + ed25519.fingerprint() + " (ED25519)");

        for (HostKeyPolicy policy : List.of(keys, fingerprints)) {
            assertThat(policy.describeExpected("ssh-ed25519"))
                    .isEqualTo("ssh-ed25519 " + ed25519.fingerprint() + " from " + SOURCE);
            assertThat(policy.describeExpected("rsa-sha2-512")).isEqualTo("no ssh-rsa key; expected [ssh-ed25519 "
                    + ed25519.fingerprint() + "] from " + SOURCE);
        }
    }

    /** What {@code ssh-keygen -lf} prints for each of the machine's .pub files. */
    private static String sshKeygenFingerprints() {
        StringBuilder text = new StringBuilder();
        for (String type : List.of("ecdsa", "ed25519", "rsa")) {
            text.append(OpenSsh.run(OpenSsh.sshKeygen(), "-lf",
                    etcSsh.resolve("ssh_host_" + type + "_key.pub").toString()).assertSuccess().stdout());
        }
        return text.toString();
    }

    private static String pub(String type) throws Exception {
        return Files.readString(etcSsh.resolve("ssh_host_" + type + "_key.pub")).strip();
    }

    private static void assertRefused(ThrowingCallable parse, String message) {
        assertThatThrownBy(parse).isInstanceOf(KeyFormatException.class).hasMessage(message);
    }
}
