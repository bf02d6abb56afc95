package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import io.jenkins.plugins.azuresshvm.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real OpenSSH server accepts logins with the keys we generate, through the real {@code ssh} client, which checks
 * the server's host key strictly against known_hosts lines we wrote.
 */
class SshdLoginTest {
    private static final String PASSPHRASE = "login passphrase";
    private static final Map<String, Path> IDENTITIES = new LinkedHashMap<>();
    private static final Map<String, SshPublicKey> PUBLIC_KEYS = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    private static TestSshd sshd;

    @BeforeAll
    static void startSshdWithOurKeysAuthorized() throws Exception {
        SshKeyGenerator generator = new SshKeyGenerator();
        PrivateKeyEncoder encoder = new PrivateKeyEncoder();
        SshKeyPair rsa = generator.generate(KeyGenSpec.DEFAULT, "rsa@test");
        SshKeyPair ed25519 = generator.generate(KeyGenSpec.ed25519(), "ed25519@test");
        List<String> authorized = new ArrayList<>();
        for (Object[] identity : new Object[][] {
            {"rsa-4096-pem", rsa, PrivateKeyFormat.PEM, null},
            {"rsa-4096-pem-encrypted", rsa, PrivateKeyFormat.PEM, PASSPHRASE},
            {"rsa-4096-openssh", rsa, PrivateKeyFormat.OPENSSH, null},
            {"rsa-4096-openssh-encrypted", rsa, PrivateKeyFormat.OPENSSH, PASSPHRASE},
            {"ed25519", ed25519, PrivateKeyFormat.OPENSSH, null},
            {"ed25519-encrypted", ed25519, PrivateKeyFormat.OPENSSH, PASSPHRASE},
        }) {
            String name = (String) identity[0];
            SshKeyPair pair = (SshKeyPair) identity[1];
            String passphrase = (String) identity[3];
            Path file = dir.resolve(name);
            KeyPairFiles.write(file, encoder.encode(pair, (PrivateKeyFormat) identity[2],
                    passphrase == null ? null : passphrase.toCharArray()), pair.publicKey(), false);
            IDENTITIES.put(name, file);
            PUBLIC_KEYS.put(name, pair.publicKey());
        }
        authorized.add(rsa.publicKey().toLine());
        authorized.add("no-pty " + ed25519.publicKey().toLine());
        sshd = TestSshd.start(dir.resolve("sshd"), authorized);
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    static Stream<Arguments> identities() {
        return Stream.of("rsa-4096-pem", "rsa-4096-pem-encrypted", "rsa-4096-openssh", "rsa-4096-openssh-encrypted",
                "ed25519", "ed25519-encrypted")
                .map(name -> Arguments.of(name, name.endsWith("-encrypted") ? PASSPHRASE : null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identities")
    void sshdAcceptsOurKeyAndLogsItsFingerprint(String name, String passphrase) throws Exception {
        Path knownHosts = knownHosts(false, "ed25519");

        OpenSsh.Result login = sshd.login(IDENTITIES.get(name), passphrase, knownHosts);

        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).isEqualTo("logged-in-as-" + System.getProperty("user.name") + "\n");
        assertThat(sshd.log()).contains("Accepted publickey for " + System.getProperty("user.name"))
                .contains(PUBLIC_KEYS.get(name).fingerprint().toString());
    }

    @Test
    void hashedKnownHostsEntryForTheNonStandardPortIsAccepted() throws Exception {
        Path knownHosts = knownHosts(true, "ecdsa");

        OpenSsh.Result login = sshd.login(IDENTITIES.get("ed25519"), null, knownHosts);

        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(Files.readString(knownHosts)).startsWith("|1|");
    }

    @Test
    void keyNotInAuthorizedKeysIsRefused() throws Exception {
        SshKeyPair stranger = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "stranger");
        Path file = dir.resolve("stranger");
        KeyPairFiles.write(file, new PrivateKeyEncoder().encode(stranger, PrivateKeyFormat.OPENSSH, null),
                stranger.publicKey(), false);

        OpenSsh.Result login = sshd.login(file, null, knownHosts(false, "ed25519"));

        assertThat(login.exitCode()).isEqualTo(255);
        assertThat(login.stderr()).contains("Permission denied (publickey)");
    }

    @Test
    void hostKeyThatDiffersFromKnownHostsIsRefusedByTheClient() throws Exception {
        SshKeyPair impostor = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "");
        Path knownHosts = dir.resolve("known_hosts_impostor");
        Files.writeString(knownHosts, KnownHost.of("127.0.0.1", sshd.port(), impostor.publicKey(), false).toLine()
                + "\n");

        OpenSsh.Result login = sshd.login(IDENTITIES.get("ed25519"), null, knownHosts);

        assertThat(login.exitCode()).isEqualTo(255);
        assertThat(login.stderr()).contains("Host key verification failed");
        assertThat(login.stdout()).isEmpty();
    }

    /** A known_hosts file holding the server's host key of {@code type}, written by us. */
    private static Path knownHosts(boolean hashed, String type) throws Exception {
        SshPublicKey hostKey = SshPublicKey.parse(Files.readString(sshd.hostPublicKey(type)));
        Path file = Files.createTempFile(dir, "known_hosts", "");
        Files.writeString(file, KnownHost.of("127.0.0.1", sshd.port(), hostKey, hashed).toLine() + "\n");
        return file;
    }
}
