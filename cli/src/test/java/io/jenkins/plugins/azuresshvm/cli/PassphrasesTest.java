package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.Cli.keyText;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygen;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygenResult;
import static io.jenkins.plugins.azuresshvm.cli.KeygenCommandTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where passphrases come from, how keys are encrypted with them, and that they never show in any output. */
class PassphrasesTest {
    private static final String PASSPHRASE = "correct horse battery";

    @TempDir
    Path dir;

    @Test
    void rsaPemKeysAreEncryptedWithAes128CbcThatSshKeygenOpensWithThePassphrase() throws IOException {
        Path key = dir.resolve("id_rsa");

        Cli.Outcome outcome = azssh("keygen", "-b", "2048", "-N", PASSPHRASE, "-f", key.toString()).assertSuccess();

        List<String> lines = Files.readAllLines(key);
        assertThat(lines.get(0)).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(lines.get(1)).isEqualTo("Proc-Type: 4,ENCRYPTED");
        assertThat(lines.get(2)).matches("DEK-Info: AES-128-CBC,[0-9A-F]{32}");
        assertThat(keyText(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())))
                .isEqualTo(keyText(Files.readString(pub(key))));
        assertThat(outcome.output()).doesNotContain(PASSPHRASE);
    }

    @Test
    void sshKeygenRefusesAnEncryptedPemKeyWithAWrongOrNoPassphrase() {
        Path key = dir.resolve("id_rsa");
        azssh("keygen", "-b", "2048", "-N", PASSPHRASE, "-f", key.toString()).assertSuccess();

        assertThat(sshKeygenResult("-y", "-P", "wrong passphrase", "-f", key.toString()).exitCode()).isNotZero();
        assertThat(sshKeygenResult("-y", "-P", "", "-f", key.toString()).exitCode()).isNotZero();
    }

    @Test
    void openSshKeysAreEncryptedWithAes256CtrAndBcryptThatSshKeygenOpensWithThePassphrase() throws IOException {
        Path key = dir.resolve("id_ed25519");

        azssh("keygen", "-t", "ed25519", "-C", "me", "-N", PASSPHRASE, "-f", key.toString()).assertSuccess();

        assertThat(openSshCipherAndKdf(key)).containsExactly("aes256-ctr", "bcrypt");
        assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
        assertThat(sshKeygenResult("-y", "-P", "wrong passphrase", "-f", key.toString()).exitCode()).isNotZero();
        assertThat(sshKeygenResult("-y", "-P", "", "-f", key.toString()).exitCode()).isNotZero();
    }

    @Test
    void rsaKeysInOpenSshFormatAreEncryptedTheSameWay() throws IOException {
        Path key = dir.resolve("id_rsa");

        azssh("keygen", "-b", "2048", "-m", "openssh", "-N", PASSPHRASE, "-f", key.toString()).assertSuccess();

        assertThat(openSshCipherAndKdf(key)).containsExactly("aes256-ctr", "bcrypt");
        assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void ecdsaPemKeysAreEncryptedWithAes128CbcToo() throws IOException {
        Path key = dir.resolve("id_ecdsa");

        azssh("keygen", "-t", "ecdsa", "-m", "pem", "-N", PASSPHRASE, "-f", key.toString()).assertSuccess();

        List<String> lines = Files.readAllLines(key);
        assertThat(lines.subList(0, 2)).containsExactly("-----BEGIN EC PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED");
        assertThat(lines.get(2)).startsWith("DEK-Info: AES-128-CBC,");
        assertThat(keyText(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())))
                .isEqualTo(keyText(Files.readString(pub(key))));
    }

    @Test
    void withoutAPassphraseOpenSshKeysAreNotEncrypted() throws IOException {
        Path key = dir.resolve("id_ed25519");

        azssh("keygen", "-t", "ed25519", "-f", key.toString()).assertSuccess();

        assertThat(openSshCipherAndKdf(key)).containsExactly("none", "none");
        assertThat(sshKeygen("-y", "-P", "", "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void thePassphraseFileGivesItsFirstLine() throws IOException {
        Path file = dir.resolve("passphrase.txt");
        Files.writeString(file, PASSPHRASE + "\nsecond line is not part of it\n");
        Path key = dir.resolve("id_ed25519");

        azssh("keygen", "-t", "ed25519", "--passphrase-file", file.toString(), "-f", key.toString())
                .assertSuccess();

        assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void thePassphraseFileMayEndLinesWithCrLfOrNotAtAll() throws IOException {
        Path crlf = dir.resolve("crlf.txt");
        Files.writeString(crlf, PASSPHRASE + "\r\n");
        Path bare = dir.resolve("bare.txt");
        Files.writeString(bare, PASSPHRASE);

        for (Path file : List.of(crlf, bare)) {
            Path key = dir.resolve("key-" + file.getFileName());
            azssh("keygen", "-t", "ed25519", "--passphrase-file", file.toString(), "-f", key.toString())
                    .assertSuccess();
            assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString()))
                    .as(file.getFileName().toString())
                    .isEqualTo(Files.readString(pub(key)));
        }
    }

    @Test
    void theEnvironmentVariableGivesThePassphraseWhenNoOptionDoes() throws IOException {
        Path key = dir.resolve("id_rsa");

        azssh(Map.of("AZSSH_PASSPHRASE", PASSPHRASE), "keygen", "-b", "2048", "-f", key.toString()).assertSuccess();

        assertThat(Files.readString(key)).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(keyText(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())))
                .isEqualTo(keyText(Files.readString(pub(key))));
    }

    @Test
    void theOptionWinsOverTheEnvironmentVariable() throws IOException {
        Path key = dir.resolve("id_ed25519");

        azssh(Map.of("AZSSH_PASSPHRASE", "from the environment"), "keygen", "-t", "ed25519", "-N", PASSPHRASE,
                "-f", key.toString()).assertSuccess();

        assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void thePassphraseFileWinsOverTheEnvironmentVariable() throws IOException {
        Path file = dir.resolve("passphrase.txt");
        Files.writeString(file, PASSPHRASE + "\n");
        Path key = dir.resolve("id_ed25519");

        azssh(Map.of("AZSSH_PASSPHRASE", "from the environment"), "keygen", "-t", "ed25519", "--passphrase-file",
                file.toString(), "-f", key.toString()).assertSuccess();

        assertThat(sshKeygen("-y", "-P", PASSPHRASE, "-f", key.toString())).isEqualTo(Files.readString(pub(key)));
    }

    @Test
    void anEmptyOptionMeansNoPassphraseEvenWhenTheEnvironmentHasOne() throws IOException {
        Path key = dir.resolve("id_ed25519");

        azssh(Map.of("AZSSH_PASSPHRASE", PASSPHRASE), "keygen", "-t", "ed25519", "-N", "", "-f", key.toString())
                .assertSuccess();

        assertThat(openSshCipherAndKdf(key)).containsExactly("none", "none");
    }

    @Test
    void aMissingPassphraseFileIsAnErrorNamingItAndNoKeyIsWritten() {
        Path file = dir.resolve("no-such-passphrase.txt");
        Path key = dir.resolve("id_ed25519");

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "--passphrase-file", file.toString(), "-f",
                key.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(file.toString()).containsIgnoringCase("no such file");
        assertThat(key).doesNotExist();
        assertThat(pub(key)).doesNotExist();
    }

    @Test
    void aPassphraseFileThatIsADirectoryIsAnErrorNamingIt() throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("secrets"));

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "--passphrase-file", notAFile.toString(), "-f",
                dir.resolve("k").toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(notAFile.toString()).contains("directory");
    }

    @Test
    void fingerprintOpensAnEncryptedKeyWithoutPubFileWithTheOptionOrTheEnvironment() throws IOException {
        Path made = Cli.sshKeygenPair(dir, "made", "-t", "ed25519", "-N", PASSPHRASE, "-C", "own comment");
        Path alone = Files.createDirectory(dir.resolve("alone")).resolve("id_ed25519");
        Files.copy(made, alone);
        String expected = sshKeygen("-l", "-f", pub(made).toString());

        assertThat(azssh("fingerprint", "-P", PASSPHRASE, alone.toString()).assertSuccess().stdout())
                .isEqualTo(expected)
                .contains(" own comment ");
        assertThat(azssh(Map.of("AZSSH_PASSPHRASE", PASSPHRASE), "fingerprint", alone.toString())
                .assertSuccess().stdout()).isEqualTo(expected);
    }

    @Test
    void fingerprintOpensAnEncryptedPemKeyWithoutPubFileWithThePassphrase() throws IOException {
        Path made = Cli.sshKeygenPair(dir, "made", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", PASSPHRASE);
        Path alone = Files.createDirectory(dir.resolve("alone")).resolve("id_rsa");
        Files.copy(made, alone);
        Path derived = dir.resolve("derived.pub");
        Files.writeString(derived, sshKeygen("-y", "-P", PASSPHRASE, "-f", made.toString()));

        assertThat(azssh("fingerprint", "-P", PASSPHRASE, alone.toString()).assertSuccess().stdout())
                .isEqualTo(sshKeygen("-l", "-f", derived.toString()));
    }

    @Test
    void fingerprintSaysWhenAnEncryptedPemKeyNeedsAPassphrase() throws IOException {
        Path made = Cli.sshKeygenPair(dir, "made", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", PASSPHRASE);
        Files.delete(pub(made));

        Cli.Outcome outcome = azssh("fingerprint", made.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(made.toString()).contains("passphrase");
    }

    @Test
    void aWrongPassphraseIsOneErrorLineNamingTheFileWithoutThePassphrase() throws IOException {
        for (Path key : encryptedKeysWithoutPubFiles()) {
            Cli.Outcome outcome = azssh("fingerprint", "-P", "not the passphrase", key.toString())
                    .assertOneLineError();

            assertThat(outcome.stderr()).as(key.toString())
                    .isEqualTo("azssh: " + key + ": wrong passphrase for the private key\n");
            assertThat(outcome.output()).doesNotContain("not the passphrase").doesNotContain(PASSPHRASE);
        }
    }

    @Test
    void aWrongPassphraseFromTheEnvironmentIsRefusedToo() throws IOException {
        Path key = encryptedKeysWithoutPubFiles().get(0);

        Cli.Outcome outcome = azssh(Map.of("AZSSH_PASSPHRASE", "not the passphrase"), "fingerprint", key.toString())
                .assertOneLineError();

        assertThat(outcome.stderr()).contains(key.toString()).contains("wrong passphrase");
        assertThat(outcome.output()).doesNotContain("not the passphrase");
    }

    @Test
    void verboseShowsTheStackTraceButStillNeverThePassphrase() throws IOException {
        for (Path key : encryptedKeysWithoutPubFiles()) {
            Cli.Outcome outcome = azssh("--verbose", "fingerprint", "-P", "not the passphrase", key.toString());

            assertThat(outcome.exitCode()).isNotZero();
            assertThat(outcome.stderr()).startsWith("azssh: " + key + ": wrong passphrase").contains("\tat ");
            assertThat(outcome.output()).as(key.toString())
                    .doesNotContain("not the passphrase")
                    .doesNotContain(PASSPHRASE);
        }
    }

    @Test
    void keygenNeverPrintsThePassphraseEvenWhenItFails() throws IOException {
        Path key = dir.resolve("k");
        Files.writeString(key, "existing\n");

        Cli.Outcome success = azssh("--verbose", "keygen", "-t", "ed25519", "-N", PASSPHRASE, "-f",
                dir.resolve("other").toString()).assertSuccess();
        Cli.Outcome exists = azssh("--verbose", "keygen", "-t", "ed25519", "-N", PASSPHRASE, "-f", key.toString());
        Cli.Outcome badSize = azssh("--verbose", "keygen", "-b", "1024", "-N", PASSPHRASE, "-f", key.toString());

        assertThat(exists.exitCode()).isNotZero();
        assertThat(badSize.exitCode()).isNotZero();
        for (Cli.Outcome outcome : List.of(success, exists, badSize)) {
            assertThat(outcome.output()).doesNotContain(PASSPHRASE);
        }
    }

    /** An encrypted Ed25519 key in OpenSSH format and an encrypted RSA PEM key, both by ssh-keygen, no .pub. */
    private List<Path> encryptedKeysWithoutPubFiles() throws IOException {
        Path ed25519 = Cli.sshKeygenPair(dir, "enc_ed25519", "-t", "ed25519", "-N", PASSPHRASE, "-C", "c");
        Path rsa = Cli.sshKeygenPair(dir, "enc_rsa", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", PASSPHRASE);
        Files.delete(pub(ed25519));
        Files.delete(pub(rsa));
        return List.of(ed25519, rsa);
    }

    /** The cipher and KDF names in an openssh-key-v1 file's header. */
    private static List<String> openSshCipherAndKdf(Path key) throws IOException {
        String base64 = Files.readAllLines(key).stream()
                .filter(line -> !line.startsWith("-----"))
                .collect(Collectors.joining());
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
        byte[] magic = new byte["openssh-key-v1\0".length()];
        buffer.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("openssh-key-v1\0");
        return List.of(string(buffer), string(buffer));
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
