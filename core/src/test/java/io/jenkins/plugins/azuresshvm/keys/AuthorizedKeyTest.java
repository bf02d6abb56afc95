package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuthorizedKey}: the lines of an {@code authorized_keys} file, with their options. */
class AuthorizedKeyTest {
    @TempDir
    static Path dir;

    /** {@code TYPE BASE64} of keys made by ssh-keygen. */
    private static String ed25519;
    private static String ecdsa;

    @BeforeAll
    static void generateKeysWithSshKeygen() throws Exception {
        ed25519 = keyText("ed25519");
        ecdsa = keyText("ecdsa");
    }

    @Test
    void parsesOptionsWithQuotedBlanksIntoOptionsKeyAndComment() throws Exception {
        String line = "from=\"10.0.0.1,10.0.0.2\",command=\"echo a b\" " + ed25519 + " c";

        List<AuthorizedKey> keys = AuthorizedKey.parse("authorized_keys", line + "\n");

        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.options()).isEqualTo("from=\"10.0.0.1,10.0.0.2\",command=\"echo a b\"");
            assertThat(key.key()).isEqualTo(SshPublicKey.parse(ed25519));
            assertThat(key.key().comment()).isEqualTo("c");
            assertThat(key.line()).isEqualTo(1);
            assertThat(key.toLine()).isEqualTo(line);
        });
    }

    @Test
    void keepsEscapedQuotesInsideQuotedOptions() throws Exception {
        String options = "command=\"echo \\\"x y\\\" z\",no-pty";

        List<AuthorizedKey> keys = AuthorizedKey.parse("authorized_keys", options + "\t" + ecdsa + " my key");

        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.options()).isEqualTo(options);
            assertThat(key.key()).isEqualTo(SshPublicKey.parse(ecdsa));
            assertThat(key.key().comment()).isEqualTo("my key");
        });
    }

    @Test
    void aLineWithoutOptionsHasEmptyOptions() throws Exception {
        List<AuthorizedKey> keys = AuthorizedKey.parse("authorized_keys", ed25519 + " alice@laptop\n" + ecdsa + "\n");

        assertThat(keys).extracting(AuthorizedKey::options).containsExactly("", "");
        assertThat(keys).extracting(key -> key.key().comment()).containsExactly("alice@laptop", "");
        assertThat(keys).extracting(AuthorizedKey::toLine).containsExactly(ed25519 + " alice@laptop", ecdsa);
    }

    @Test
    void skipsCommentAndBlankLinesAndKeepsFileLineNumbers() throws Exception {
        String text = "# managed by azure-ssh-vm\n"
                + "\n"
                + "   \t\n"
                + "  # indented comment " + ed25519 + "\n"
                + "no-pty " + ed25519 + " first\n"
                + "\n"
                + ecdsa + " second\n";

        List<AuthorizedKey> keys = AuthorizedKey.parse("authorized_keys", text);

        assertThat(keys).extracting(AuthorizedKey::line).containsExactly(5, 7);
        assertThat(keys).extracting(key -> key.key().comment()).containsExactly("first", "second");
        assertThat(keys).extracting(AuthorizedKey::options).containsExactly("no-pty", "");
    }

    @Test
    void readsCrlfFilesWithoutCrInCommentsOrOptions() throws Exception {
        String text = "restrict " + ed25519 + " one\r\n" + ecdsa + "\r\n";

        List<AuthorizedKey> keys = AuthorizedKey.parse("authorized_keys", text);

        assertThat(keys).extracting(key -> key.key().comment()).containsExactly("one", "");
        assertThat(keys).extracting(AuthorizedKey::toLine).containsExactly("restrict " + ed25519 + " one", ecdsa);
    }

    @Test
    void reportsTheFirstBadLineWithItsNumberAndSource() throws Exception {
        String text = "# keys\n"
                + ed25519 + " ok\n"
                + "\n"
                + "no-pty ssh-ed25519 AAAA%%%% broken\n"
                + "ssh-dss AAAAB3NzaC1kc3M= also broken\n";

        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse("/home/u/.ssh/authorized_keys", text));

        assertThat(e.source()).isEqualTo("/home/u/.ssh/authorized_keys");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.problem()).isEqualTo("the key data of this ssh-ed25519 key is not valid base64");
        assertThat(e.getMessage()).isEqualTo("/home/u/.ssh/authorized_keys:4: " + e.problem());
    }

    @Test
    void namesAnUnsupportedKeyTypeAfterOptions() {
        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse("authorized_keys",
                ed25519 + "\nfrom=\"*.example.com\" ssh-dss AAAAB3NzaC1kc3M= old\n"));

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).startsWith("unsupported key type 'ssh-dss'");
    }

    @Test
    void refusesALineWhoseOptionQuoteIsNeverClosed() {
        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse("authorized_keys",
                "command=\"echo a " + ed25519 + " c\n"));

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.problem()).isEqualTo("a double quote opened in column 1 is never closed");
    }

    @Test
    void refusesGarbageInFrontOfAKeyAsAnUnknownKeyType() {
        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse("authorized_keys",
                "\n\nno-pty my-key " + ed25519 + "\n"));

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).isEqualTo("unknown key type 'my-key'");
    }

    @Test
    void readsTheKeysAndCommentsSshKeygenListsForTheSameFile() throws Exception {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, "# comment\n"
                + "from=\"10.0.0.1,10.0.0.2\",command=\"echo a b\" " + ed25519 + " c\n"
                + "\n"
                + ecdsa + " plain key\n");
        String listed = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", file.toString()).assertSuccess().stdout();

        List<AuthorizedKey> keys = AuthorizedKey.parse(file.toString(), Files.readString(file));

        List<String> ours = keys.stream().map(entry -> entry.key().bits() + " " + entry.key().fingerprint() + " "
                + entry.key().comment() + " (" + entry.key().type().label() + ")").toList();
        assertThat(ours).containsExactlyElementsOf(listed.lines().toList());
    }



    /** Generates a key with ssh-keygen; its {@code TYPE BASE64}. */
    private static String keyText(String type) throws Exception {
        Path key = dir.resolve(type);
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", type, "-N", "", "-C", "", "-f", key.toString()).assertSuccess();
        return Files.readString(KeyPairFiles.publicKeyPath(key)).strip();
    }
}
