package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.Cli.azsshWithStdin;
import static io.jenkins.plugins.azuresshvm.cli.Cli.keyText;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygen;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygenWithStdin;
import static io.jenkins.plugins.azuresshvm.cli.KeygenCommandTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code azssh fingerprint FILE} prints exactly what {@code ssh-keygen -l -f FILE} prints. */
class FingerprintCommandTest {

    /** Key pairs made by the real ssh-keygen once for the class: RSA 2048 (PEM), Ed25519 and ECDSA (OpenSSH). */
    @TempDir
    static Path keys;

    static Path rsa;
    static Path ed25519;
    static Path ecdsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() {
        rsa = Cli.sshKeygenPair(keys, "id_rsa", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", "rsa key");
        ed25519 = Cli.sshKeygenPair(keys, "id_ed25519", "-t", "ed25519", "-N", "", "-C", "ed@example.com");
        ecdsa = Cli.sshKeygenPair(keys, "id_ecdsa", "-t", "ecdsa", "-b", "521", "-N", "", "-C", "ecdsa key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void publicKeyFilesAreListedAsSshKeygenListsThem(String hash) {
        for (Path key : List.of(rsa, ed25519, ecdsa)) {
            assertSameAsSshKeygen(hash, pub(key));
        }
    }

    @Test
    void sha256IsTheDefaultHash() {
        assertThat(azssh("fingerprint", "-E", "sha256", pub(ed25519).toString()).stdout())
                .isEqualTo(azssh("fingerprint", pub(ed25519).toString()).stdout())
                .startsWith("256 SHA256:");
    }

    @Test
    void aPublicKeyWithoutCommentIsListedAsSshKeygenListsIt() throws IOException {
        Path file = dir.resolve("bare.pub");
        Files.writeString(file, keyText(Files.readString(pub(ed25519))) + "\n");

        assertSameAsSshKeygen("sha256", file);
        assertThat(azssh("fingerprint", file.toString()).stdout()).contains(" no comment ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void knownHostsFilesAreListedAsSshKeygenListsThem(String hash) throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, knownHosts());

        assertSameAsSshKeygen(hash, file);
        assertThat(azssh("fingerprint", file.toString()).stdout())
                .contains(" [vm.example.com]:2222 (ED25519)\n")
                .contains(" vm.example.com,10.0.0.4 (RSA)\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void knownHostsFilesHashedBySshKeygenAreListedAsSshKeygenListsThem(String hash) throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, knownHosts());
        sshKeygen("-H", "-f", file.toString());
        assertThat(Files.readString(file)).contains("|1|");

        assertSameAsSshKeygen(hash, file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void authorizedKeysFilesWithOptionsAreListedAsSshKeygenListsThem(String hash) throws IOException {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, authorizedKeys());

        assertSameAsSshKeygen(hash, file);
    }

    /**
     * OpenSSH 9.2 may show a previous line's comment for a key without one (fixed in later releases); each line's
     * comment stands alone here, as ssh-keygen shows it when the line is on its own.
     */
    @Test
    void aKeyWithoutCommentAfterOneWithACommentIsListedAsSshKeygenListsItAlone() throws IOException {
        String withComment = Files.readString(pub(rsa));
        String withoutComment = keyText(Files.readString(pub(ed25519))) + "\n";
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, withComment + withoutComment);
        Path first = dir.resolve("first.pub");
        Files.writeString(first, withComment);
        Path second = dir.resolve("second.pub");
        Files.writeString(second, withoutComment);

        assertThat(azssh("fingerprint", file.toString()).assertSuccess().stdout())
                .isEqualTo(sshKeygen("-l", "-f", first.toString()) + sshKeygen("-l", "-f", second.toString()));
    }

    @Test
    void aPrivateKeyWithItsPubFileIsListedAsSshKeygenListsIt() throws IOException {
        Path key = dir.resolve("id_ed25519");
        Files.copy(ed25519, key);
        Files.writeString(pub(key), keyText(Files.readString(pub(ed25519))) + " comment from the pub file\n");

        assertSameAsSshKeygen("sha256", key);
        assertThat(azssh("fingerprint", key.toString()).stdout()).contains(" comment from the pub file ");
    }

    @Test
    void aPrivateKeyWhosePubFileHasNoCommentIsListedAsSshKeygenListsIt() throws IOException {
        Path key = dir.resolve("id_ed25519");
        Files.copy(ed25519, key);
        Files.writeString(pub(key), keyText(Files.readString(pub(ed25519))) + "\n");

        assertSameAsSshKeygen("sha256", key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void privateKeysWithoutPubFilesAreListedAsSshKeygenListsThem(String hash) throws IOException {
        for (Path made : List.of(rsa, ed25519, ecdsa)) {
            Path alone = dir.resolve(made.getFileName());
            Files.copy(made, alone);
            assertSameAsSshKeygen(hash, alone);
        }
    }

    @Test
    void anEncryptedOpenSshKeyWithoutPubFileAndPassphraseIsListedAsSshKeygenListsIt() throws IOException {
        Path made = Cli.sshKeygenPair(dir, "made", "-t", "ed25519", "-N", "a passphrase", "-C", "hidden comment");
        Path alone = Files.createDirectory(dir.resolve("alone")).resolve("id_ed25519");
        Files.copy(made, alone);

        assertSameAsSshKeygen("sha256", alone);
    }

    @Test
    void keysMadeByAzsshAreListedAsSshKeygenListsThem() {
        Path key = dir.resolve("k");
        azssh("keygen", "-b", "2048", "-C", "made by azssh", "-f", key.toString()).assertSuccess();

        assertSameAsSshKeygen("sha256", key);
        assertSameAsSshKeygen("sha256", pub(key));
        assertSameAsSshKeygen("md5", pub(key));
    }

    @Test
    void dashReadsPublicKeysFromStandardInput() throws IOException {
        String text = Files.readString(pub(ecdsa)) + authorizedKeys();

        Cli.Outcome outcome = azsshWithStdin(text, Map.of(), "fingerprint", "-").assertSuccess();

        assertThat(outcome.stdout()).isEqualTo(sshKeygenWithStdin(text, "-l", "-f", "-"));
        assertThat(outcome.stderr()).isEmpty();
    }

    @Test
    void dashReadsKnownHostsFromStandardInputWithMd5() {
        String text = knownHosts();

        Cli.Outcome outcome = azsshWithStdin(text, Map.of(), "fingerprint", "-E", "md5", "-").assertSuccess();

        assertThat(outcome.stdout()).isEqualTo(sshKeygenWithStdin(text, "-l", "-E", "md5", "-f", "-"));
    }

    @Test
    void dashReadsAPrivateKeyFromStandardInput() throws IOException {
        Cli.Outcome outcome = azsshWithStdin(Files.readString(ed25519), Map.of(), "fingerprint", "-")
                .assertSuccess();

        assertThat(outcome.stdout()).isEqualTo(sshKeygen("-l", "-f", pub(ed25519).toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "md5"})
    void verboseDrawsTheRandomartAsSshKeygenDoes(String hash) throws IOException {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, authorizedKeys());

        Cli.Outcome outcome = azssh("fingerprint", "-v", "-E", hash, file.toString()).assertSuccess();

        assertThat(outcome.stdout()).isEqualTo(sshKeygen("-l", "-v", "-E", hash, "-f", file.toString()));
        assertThat(outcome.stdout()).contains("[" + hash.toUpperCase(Locale.ROOT) + "]-");
    }

    @Test
    void verboseDrawsTheRandomartOfEachKeyType() {
        for (Path key : List.of(rsa, ed25519, ecdsa)) {
            assertThat(azssh("fingerprint", "-v", pub(key).toString()).assertSuccess().stdout())
                    .isEqualTo(sshKeygen("-lv", "-f", pub(key).toString()));
        }
    }

    @Test
    void aBadLineAmongGoodOnesIsReportedWithItsLineNumberAndSkipped() throws IOException {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, Files.readString(pub(rsa)) + "ssh-ed25519 AAAA!!!!not-base64 broken\n"
                + Files.readString(pub(ed25519)));

        Cli.Outcome outcome = azssh("fingerprint", file.toString()).assertSuccess();

        assertThat(outcome.stdout()).isEqualTo(sshKeygen("-l", "-f", file.toString()));
        assertThat(outcome.stderr()).startsWith("azssh: warning: " + file + ":2: ").contains("base64");
        assertThat(outcome.stderr().lines()).hasSize(1);
    }

    @Test
    void aMissingFileIsOneErrorLineNamingIt() {
        Path missing = dir.resolve("no_such_key.pub");
        assertThat(Cli.sshKeygenResult("-l", "-f", missing.toString()).exitCode()).isNotZero();

        Cli.Outcome outcome = azssh("fingerprint", missing.toString()).assertOneLineError();

        assertThat(outcome.stderr()).isEqualTo("azssh: " + missing + ": no such file or directory\n");
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void aDirectoryIsOneErrorLineNamingIt() {
        Cli.Outcome outcome = azssh("fingerprint", dir.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(dir.toString()).contains("directory");
    }

    @Test
    void corruptBase64InAPubFileIsOneErrorLineNamingFileAndLine() throws IOException {
        Path file = dir.resolve("broken.pub");
        Files.writeString(file, "# my key\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI!!!corrupt!!! me@host\n");
        assertThat(Cli.sshKeygenResult("-l", "-f", file.toString()).exitCode()).isNotZero();

        Cli.Outcome outcome = azssh("fingerprint", file.toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains(file + ":2:").contains("base64");
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void aFileOfGarbageLinesIsOneErrorLineNamingIt() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "this is not a key\nneither is this\n\n");
        assertThat(Cli.sshKeygenResult("-l", "-f", file.toString()).exitCode()).isNotZero();

        Cli.Outcome outcome = azssh("fingerprint", file.toString()).assertOneLineError();

        assertThat(outcome.stderr()).startsWith("azssh: " + file + ": ").contains("no key");
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void errorsShowAStackTraceOnlyWithVerbose() {
        Path missing = dir.resolve("no_such_key.pub");

        Cli.Outcome outcome = azssh("--verbose", "fingerprint", missing.toString());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr()).startsWith("azssh: " + missing + ": no such file or directory\n")
                .contains("\tat ");
    }

    @Test
    void anUnknownHashIsAnError() {
        Cli.Outcome outcome = azssh("fingerprint", "-E", "sha1", pub(rsa).toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains("sha1");
    }

    private static void assertSameAsSshKeygen(String hash, Path file) {
        Cli.Outcome outcome = azssh("fingerprint", "-E", hash, file.toString()).assertSuccess();
        assertThat(outcome.stdout()).as("azssh fingerprint -E %s %s", hash, file)
                .isEqualTo(sshKeygen("-l", "-E", hash, "-f", file.toString()))
                .isNotEmpty();
        assertThat(outcome.stderr()).isEmpty();
    }

    /** Plain host names, a host list, a non-standard port, a marker line, comments and blank lines. */
    private static String knownHosts() {
        try {
            List<String> lines = new ArrayList<>();
            lines.add("# hosts we trust");
            lines.add("vm.example.com,10.0.0.4 " + keyText(Files.readString(pub(rsa))));
            lines.add("[vm.example.com]:2222 " + keyText(Files.readString(pub(ed25519))));
            lines.add("");
            lines.add("@cert-authority *.example.com " + keyText(Files.readString(pub(ecdsa))));
            lines.add("[10.0.0.5]:22022,other.example.com\t" + keyText(Files.readString(pub(ecdsa))));
            lines.add("plain.example.com " + Files.readString(pub(ed25519)).strip());
            return String.join("\n", lines) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys with and without options (quoted, with blanks and commas), with and without comments. */
    private static String authorizedKeys() {
        try {
            List<String> lines = new ArrayList<>();
            lines.add("# deploy keys");
            lines.add("command=\"echo hello, world\",no-pty,from=\"10.0.0.*\" " + Files.readString(pub(rsa)).strip());
            lines.add("restrict " + keyText(Files.readString(pub(ed25519))));
            lines.add(Files.readString(pub(ecdsa)).strip());
            lines.add("");
            lines.add("no-agent-forwarding " + Files.readString(pub(ed25519)).strip());
            return String.join("\n", lines) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
