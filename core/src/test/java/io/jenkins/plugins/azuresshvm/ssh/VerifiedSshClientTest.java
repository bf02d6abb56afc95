package io.jenkins.plugins.azuresshvm.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyPolicy;
import io.jenkins.plugins.azuresshvm.hostkeys.ProvidedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import io.jenkins.plugins.azuresshvm.testing.TestSshd;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VerifiedSshClient} against a real OpenSSH server: it connects only when the server presents the expected host
 * key for the algorithm it offered, before authenticating, and then runs commands with one key pair.
 */
class VerifiedSshClientTest {
    private static final String USER = System.getProperty("user.name");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SOURCE = "the test's sshd";

    @TempDir
    static Path dir;

    private static Map<String, SshKeyPair> identities;
    private static TestSshd sshd;
    private static VerifiedSshClient client;

    @BeforeAll
    static void startSshdAcceptingOurEd25519AndRsaKeys() throws Exception {
        SshKeyGenerator generator = new SshKeyGenerator();
        identities = Map.of(
                "ed25519", generator.generate(KeyGenSpec.ed25519(), "ed25519@test"),
                "rsa-4096", generator.generate(KeyGenSpec.rsa(4096), "rsa@test"));
        sshd = TestSshd.start(dir.resolve("sshd"),
                identities.values().stream().map(pair -> pair.publicKey().toLine()).toList());
        client = new VerifiedSshClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "rsa-4096"})
    void runsCommandsStreamingOutputAndReportsExitStatus(String identity) throws Exception {
        try (VerifiedSession session = connect(hostKeys("ed25519", "ecdsa", "rsa"), identities.get(identity))) {
            Output ok = new Output();
            assertThat(session.execute("echo hello $(id -un)", ok.stdout, ok.stderr, TIMEOUT))
                    .isEqualTo(CommandResult.exited(0));
            assertThat(ok.stdout()).isEqualTo("hello " + USER + "\n");
            assertThat(ok.stderr()).isEmpty();

            Output failing = new Output();
            CommandResult result = session.execute("echo oops >&2; exit 3", failing.stdout, failing.stderr, TIMEOUT);
            assertThat(result).isEqualTo(CommandResult.exited(3));
            assertThat(result.succeeded()).isFalse();
            assertThat(failing.stderr()).isEqualTo("oops\n");
        }
    }

    @Test
    void leavesTheCallersOutputStreamsOpen() throws Exception {
        try (VerifiedSession session = connect(hostKeys("ed25519"), identities.get("ed25519"))) {
            Output output = new Output();

            session.execute("echo out; echo err >&2", output.stdout, output.stderr, TIMEOUT);

            assertThat(output.stdout.closed).isFalse();
            assertThat(output.stderr.closed).isFalse();
        }
    }

    @Test
    void withAllThreeHostKeysNegotiatesMinasFirstPreference() throws Exception {
        ExpectedHostKeys expected = hostKeys("ed25519", "ecdsa", "rsa");
        String minasFirstChoice = NamedResource.getNameList(ClientBuilder.DEFAULT_SIGNATURE_PREFERENCE).stream()
                .filter(expected.hostKeyAlgorithms()::contains)
                .findFirst().orElseThrow();

        try (VerifiedSession session = connect(expected, identities.get("ed25519"))) {
            assertThat(session.hostKeyAlgorithm()).isEqualTo(minasFirstChoice).isEqualTo("ecdsa-sha2-nistp256");
            assertThat(session.presentedHostKey()).isEqualTo(serverKey("ecdsa"));
        }
    }

    @Test
    void withOnlyTheEd25519HostKeyNegotiatesEd25519() throws Exception {
        try (VerifiedSession session = connect(hostKeys("ed25519"), identities.get("ed25519"))) {
            assertThat(session.hostKeyAlgorithm()).isEqualTo("ssh-ed25519");
            assertThat(session.presentedHostKey()).isEqualTo(serverKey("ed25519"));
        }
    }

    @Test
    void withOnlyTheRsaHostKeyNegotiatesRsaSha2512() throws Exception {
        try (VerifiedSession session = connect(hostKeys("rsa"), identities.get("ed25519"))) {
            assertThat(session.hostKeyAlgorithm()).isEqualTo("rsa-sha2-512");
            assertThat(session.presentedHostKey()).isEqualTo(serverKey("rsa"));
        }
    }

    @Test
    void wrongKeyForTheNegotiatedAlgorithmIsRefusedBeforeAuthentication() throws Exception {
        Path foreignEcdsa = foreignKey("ecdsa");
        ExpectedHostKeys expected = ExpectedHostKeys.of(
                List.of(serverKey("ed25519"), SshPublicKey.parse(Files.readString(foreignEcdsa)), serverKey("rsa")),
                SOURCE);

        HostKeyMismatchException refused = refusedHostKey(expected);

        assertThat(refused).hasMessageContainingAll(
                "127.0.0.1:" + sshd.port(),
                "ecdsa-sha2-nistp256",
                "expected ecdsa-sha2-nistp256 " + keygenFingerprint(foreignEcdsa),
                "presented ecdsa-sha2-nistp256 " + keygenFingerprint(sshd.hostPublicKey("ecdsa")),
                SOURCE);
    }

    @Test
    void serverWithNoneOfTheExpectedKeysIsRefusedBeforeAuthentication() throws Exception {
        Path foreignEcdsa = foreignKey("ecdsa");
        ExpectedHostKeys expected = ExpectedHostKeys.of(List.of(
                SshPublicKey.parse(Files.readString(foreignKey("ed25519"))),
                SshPublicKey.parse(Files.readString(foreignEcdsa)),
                SshPublicKey.parse(Files.readString(foreignKey("rsa")))), SOURCE);

        HostKeyMismatchException refused = refusedHostKey(expected);

        assertThat(refused).hasMessageContainingAll(
                "expected ecdsa-sha2-nistp256 " + keygenFingerprint(foreignEcdsa),
                "presented ecdsa-sha2-nistp256 " + keygenFingerprint(sshd.hostPublicKey("ecdsa")));
    }

    @Test
    void providedFingerprintsFromSshKeygenGateTheConnectionLikeKeys() throws Exception {
        // PROVIDED mode: what `ssh-keygen -lf` printed for the server's host keys, from a trusted source
        String listing = keygenListing(sshd.hostPublicKey("ed25519")) + keygenListing(sshd.hostPublicKey("ecdsa"));
        HostKeyPolicy provided = ProvidedHostKeys.parse("fingerprints from the VM's console", listing);

        try (VerifiedSession session = client.connect("127.0.0.1", sshd.port(), USER, provided,
                identities.get("ed25519"), TIMEOUT)) {
            assertThat(session.presentedHostKey()).isIn(serverKey("ed25519"), serverKey("ecdsa"));
        }

        Path foreignEcdsa = foreignKey("ecdsa");
        HostKeyPolicy wrong = ProvidedHostKeys.parse("fingerprints from the VM's console",
                keygenListing(sshd.hostPublicKey("ed25519")) + keygenListing(foreignEcdsa));
        assertThat(catchThrowableOfType(HostKeyMismatchException.class, () -> client.connect("127.0.0.1",
                sshd.port(), USER, wrong, identities.get("ed25519"), TIMEOUT)))
                .hasMessageContainingAll(keygenFingerprint(foreignEcdsa),
                        keygenFingerprint(sshd.hostPublicKey("ecdsa")), "fingerprints from the VM's console");
    }

    @Test
    void keyPairTheServerDoesNotAuthorizeIsRefusedNamingTheLogin() throws Exception {
        SshKeyPair stranger = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "stranger");

        AuthenticationRefusedException refused = catchThrowableOfType(AuthenticationRefusedException.class,
                () -> connect(hostKeys("ed25519"), stranger));

        assertThat(refused).hasMessageContainingAll(USER + "@127.0.0.1:" + sshd.port(),
                stranger.publicKey().fingerprint().toString());
    }

    @Test
    void serverThatNeverSpeaksSshTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();

            SshTimeoutException timedOut = catchThrowableOfType(SshTimeoutException.class,
                    () -> client.connect("127.0.0.1", silent.getLocalPort(), USER, hostKeys("ed25519"),
                            identities.get("ed25519"), Duration.ofMillis(1500)));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(timedOut).hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void commandThatOutlivesItsTimeoutIsCutOff() throws Exception {
        try (VerifiedSession session = connect(hostKeys("ed25519"), identities.get("ed25519"))) {
            Output output = new Output();
            long start = System.nanoTime();

            SshTimeoutException timedOut = catchThrowableOfType(SshTimeoutException.class,
                    () -> session.execute("echo started; sleep 30", output.stdout, output.stderr,
                            Duration.ofSeconds(1)));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(timedOut).hasMessageContaining("channel closed");
            assertThat(output.stdout()).isEqualTo("started\n");
            assertThat(session.execute("true", output.stdout, output.stderr, TIMEOUT).succeeded()).isTrue();
        }
    }

    /** Connects with {@code expected}, checks it is refused, and that sshd saw no authentication attempt. */
    private static HostKeyMismatchException refusedHostKey(ExpectedHostKeys expected) throws Exception {
        int logBefore = sshd.log().length();

        HostKeyMismatchException refused = catchThrowableOfType(HostKeyMismatchException.class,
                () -> connect(expected, identities.get("ed25519")));

        String attemptLog = awaitLogLine(logBefore, "Disconnected from 127.0.0.1");
        assertThat(attemptLog).contains("Server key did not validate").doesNotContain("Accepted publickey", "Failed publickey", "Postponed publickey",
                "Starting session");
        return refused;
    }

    private static VerifiedSession connect(ExpectedHostKeys expected, SshKeyPair identity) throws Exception {
        return client.connect("127.0.0.1", sshd.port(), USER, expected, identity, TIMEOUT);
    }

    /** The server's own host keys of the given types. */
    private static ExpectedHostKeys hostKeys(String... types) throws Exception {
        List<SshPublicKey> keys = new ArrayList<>();
        for (String type : types) {
            keys.add(serverKey(type));
        }
        return ExpectedHostKeys.of(keys, SOURCE);
    }

    private static SshPublicKey serverKey(String type) throws Exception {
        return SshPublicKey.parse(Files.readString(sshd.hostPublicKey(type)));
    }

    /** A new host key made by ssh-keygen that the server does not have; its .pub file. */
    private static Path foreignKey(String type) throws Exception {
        Path key = Files.createTempDirectory(dir, "foreign").resolve("ssh_host_" + type + "_key");
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", type, "-N", "", "-f", key.toString()).assertSuccess();
        return Path.of(key + ".pub");
    }

    /** What {@code ssh-keygen -lf} prints for a .pub file. */
    private static String keygenListing(Path pub) {
        return OpenSsh.run(OpenSsh.sshKeygen(), "-lf", pub.toString()).assertSuccess().stdout();
    }

    /** The SHA256 fingerprint {@code ssh-keygen -lf} prints for a .pub file. */
    private static String keygenFingerprint(Path pub) {
        return OpenSsh.run(OpenSsh.sshKeygen(), "-lf", pub.toString()).assertSuccess().stdout().split(" ")[1];
    }

    /** sshd's log from {@code offset}, once it holds {@code marker} (the end of a connection), 10 s at most. */
    private static String awaitLogLine(int offset, String marker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String log = sshd.log().substring(offset);
        while (!log.contains(marker) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            log = sshd.log().substring(offset);
        }
        assertThat(log).as("sshd log of the refused connection").contains(marker);
        return log;
    }

    /** A command's two output streams, decoded. */
    private static final class Output {
        final RecordingStream stdout = new RecordingStream();
        final RecordingStream stderr = new RecordingStream();

        String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Bytes written, and whether it was closed. */
    private static final class RecordingStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
