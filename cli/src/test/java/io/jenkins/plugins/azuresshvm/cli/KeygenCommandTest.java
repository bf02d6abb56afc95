package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.Cli.keyText;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygen;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    /** What an existing file holds: not a key, not text, no final newline. */
    private static final byte[] PRECIOUS = {'k', 'e', 'e', 'p', ' ', 'm', 'e', 0, (byte) 0xff, '\r', '\n', 'x'};

    @TempDir
    Path dir;

    /** The one test of the RSA-4096 default: a key made with no options but {@code -f}, checked every way. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutOptions {
        Path key;
        Cli.Outcome outcome;

        @BeforeAll
        void generate(@TempDir Path keyDir) {
            key = keyDir.resolve("id_rsa");
            outcome = azssh("keygen", "-f", key.toString());
        }

        @Test
        void succeedsQuietlyOnStderr() {
            outcome.assertSuccess();
            assertThat(outcome.stderr()).isEmpty();
        }

        @Test
        void makesAnRsa4096KeyAsSshKeygenSeesIt() {
            assertThat(sshKeygen("-l", "-f", pub(key).toString())).startsWith("4096 SHA256:").endsWith(" (RSA)\n");
        }

        @Test
        void writesThePrivateKeyAsUnencryptedPkcs1Pem() throws IOException {
            String text = Files.readString(key);
            assertThat(text).startsWith("-----BEGIN RSA PRIVATE KEY-----\n")
                    .endsWith("-----END RSA PRIVATE KEY-----\n")
                    .doesNotContain("ENCRYPTED");
        }

        @Test
        void sshKeygenDerivesThePublicKeyFileFromThePrivateKey() throws IOException {
            assertThat(keyText(sshKeygen("-y", "-P", "", "-f", key.toString())))
                    .isEqualTo(keyText(Files.readString(pub(key))));
        }

        @Test
        void printsTheFingerprintLineSshKeygenListsForThePublicKey() {
            assertThat(outcome.stdout().lines())
                    .contains(sshKeygen("-l", "-f", pub(key).toString()).stripTrailing());
        }

        @Test
        void makesThePrivateKeyOwnerOnlyAndThePublicKeyWorldReadable() throws IOException {
            assertThat(mode(key)).isEqualTo("rw-------");
            assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
        }

        @Test
        void writesThePublicKeyAsOneSshRsaLineEndingInANewline() throws IOException {
            assertThat(Files.readString(pub(key))).matches("ssh-rsa AAAA[A-Za-z0-9+/]+=* \\S+\n");
        }
    }

    @Test
    void ed25519KeysAreWrittenInOpenSshFormatByDefault() throws IOException {
        Path key = dir.resolve("id_ed25519");

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-C", "ed@example", "-f", key.toString())
                .assertSuccess();

        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString()))
                .isEqualTo(Files.readString(pub(key)))
                .isEqualTo(keyText(Files.readString(pub(key))) + " ed@example\n");
        assertThat(outcome.stdout().lines()).contains(sshKeygen("-l", "-f", pub(key).toString()).stripTrailing());
        assertThat(sshKeygen("-l", "-f", pub(key).toString())).startsWith("256 SHA256:").endsWith(" (ED25519)\n");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
    }

    @Test
    void rsaKeysCanBeWrittenInOpenSshFormat() throws IOException {
        Path key = dir.resolve("id_rsa");

        Cli.Outcome outcome = azssh("keygen", "-b", "2048", "-m", "openssh", "-C", "rsa@example", "-f",
                key.toString()).assertSuccess();

        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
        assertThat(sshKeygen("-l", "-f", pub(key).toString())).startsWith("2048 SHA256:");
        assertThat(outcome.stdout().lines()).contains(sshKeygen("-l", "-f", pub(key).toString()).stripTrailing());
    }

    @Test
    void rsaKeySizeIsTheOneAskedFor() throws IOException {
        Path key = dir.resolve("id_rsa");

        azssh("keygen", "-b", "3072", "-f", key.toString()).assertSuccess();

        assertThat(sshKeygen("-l", "-f", key.toString())).startsWith("3072 SHA256:");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    }

    @Test
    void ecdsaKeysWorkButANoteSaysAzureRefusesThem() throws IOException {
        Path key = dir.resolve("id_ecdsa");

        Cli.Outcome outcome = azssh("keygen", "-t", "ecdsa", "-b", "384", "-C", "ec", "-f", key.toString())
                .assertSuccess();

        assertThat(outcome.output()).contains("Azure").containsIgnoringCase("ecdsa");
        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
        assertThat(sshKeygen("-l", "-f", pub(key).toString())).startsWith("384 SHA256:").endsWith(" ec (ECDSA)\n");
        assertThat(outcome.stdout().lines()).contains(sshKeygen("-l", "-f", pub(key).toString()).stripTrailing());
    }

    @Test
    void rsaAndEd25519KeysGetNoAzureNote() {
        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-f", dir.resolve("k").toString()).assertSuccess();

        assertThat(outcome.output()).doesNotContain("Azure");
    }

    @Test
    void aCommentWithBlanksEndsThePublicKeyLineAsGiven() throws IOException {
        Path key = dir.resolve("k");

        azssh("keygen", "-t", "ed25519", "-C", "build agent 7", "-f", key.toString()).assertSuccess();

        assertThat(Files.readString(pub(key))).matches("ssh-ed25519 AAAA[A-Za-z0-9+/]+=* build agent 7\n");
        assertThat(sshKeygen("-l", "-f", pub(key).toString())).endsWith(" build agent 7 (ED25519)\n");
    }

    @Test
    void anExistingPrivateKeyIsNeverOverwritten() throws IOException {
        Path key = dir.resolve("k");
        Files.write(key, PRECIOUS);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-f", key.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(key.toString()).doesNotContain(pub(key).toString())
                .contains("exists");
        assertThat(Files.readAllBytes(key)).isEqualTo(PRECIOUS);
        assertThat(mode(key)).isEqualTo("rw-r-----");
        assertThat(pub(key)).doesNotExist();
        assertThat(list(dir)).containsExactly("k");
    }

    @Test
    void anExistingPublicKeyIsNeverOverwritten() throws IOException {
        Path key = dir.resolve("k");
        Files.write(pub(key), PRECIOUS);
        Files.setPosixFilePermissions(pub(key), PosixFilePermissions.fromString("rw-------"));

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-f", key.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(pub(key).toString()).contains("exists");
        assertThat(Files.readAllBytes(pub(key))).isEqualTo(PRECIOUS);
        assertThat(mode(pub(key))).isEqualTo("rw-------");
        assertThat(key).doesNotExist();
        assertThat(list(dir)).containsExactly("k.pub");
    }

    @Test
    void existingFilesAreKeptByteForByteWhenBothExist() throws IOException {
        Path key = sshKeygenPairIn(dir);
        byte[] privateBefore = Files.readAllBytes(key);
        byte[] publicBefore = Files.readAllBytes(pub(key));

        azssh("keygen", "-b", "2048", "-f", key.toString()).assertOneLineError();

        assertThat(Files.readAllBytes(key)).isEqualTo(privateBefore);
        assertThat(Files.readAllBytes(pub(key))).isEqualTo(publicBefore);
    }

    @Test
    void forceReplacesBothFilesWithANewMatchingPair() throws IOException {
        Path key = sshKeygenPairIn(dir);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(pub(key), PosixFilePermissions.fromString("rw-rw-rw-"));
        String privateBefore = Files.readString(key);
        String publicBefore = Files.readString(pub(key));

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-C", "new", "-f", key.toString(), "--force")
                .assertSuccess();

        assertThat(Files.readString(key)).isNotEqualTo(privateBefore);
        assertThat(Files.readString(pub(key))).isNotEqualTo(publicBefore).endsWith(" new\n");
        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
        assertThat(outcome.stdout().lines()).contains(sshKeygen("-l", "-f", pub(key).toString()).stripTrailing());
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
        assertThat(list(dir)).containsExactlyInAnyOrder("k", "k.pub");
    }

    @Test
    void forceAlsoWritesWhenOnlyOneFileExists() throws IOException {
        Path key = dir.resolve("k");
        Files.writeString(pub(key), "stale\n");

        azssh("keygen", "-t", "ed25519", "-f", key.toString(), "--force").assertSuccess();

        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void ed25519CannotBeWrittenAsPem() {
        Path key = dir.resolve("k");

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-m", "pem", "-f", key.toString())
                .assertOneLineError();

        assertThat(outcome.stderr()).containsIgnoringCase("ed25519").containsIgnoringCase("pem");
        assertThat(list(dir)).isEmpty();
    }

    private static Path sshKeygenPairIn(Path dir) {
        return Cli.sshKeygenPair(dir, "k", "-t", "ed25519", "-N", "", "-C", "old");
    }

    static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    static List<String> list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
