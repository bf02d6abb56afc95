package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Public key lines ({@code TYPE BASE64 [COMMENT]}) as read by {@link SshPublicKey#parse} and the file parsers: what
 * OpenSSH accepts is accepted, everything else is refused with a {@link KeyFormatException} saying what and where.
 */
class PublicKeyParsingTest {
    @TempDir
    static Path dir;

    /** ssh-keygen's .pub lines (without line end), by name. */
    private static String ed25519Line;
    private static String rsaLine;
    private static String dsaLine;

    @BeforeAll
    static void generateKeysWithSshKeygen() throws Exception {
        ed25519Line = pubLine("ed25519", "user@host", "-t", "ed25519");
        rsaLine = pubLine("rsa", "rsa@host", "-t", "rsa", "-b", "2048");
        dsaLine = pubLine("dsa", "dsa@host", "-t", "dsa");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521"})
    void roundTripsTheLineSshKeygenWrote(String name) throws Exception {
        String[] typeArgs = name.startsWith("ecdsa")
                ? new String[] {"-t", "ecdsa", "-b", name.substring(6)}
                : new String[] {"-t", name};
        String line = pubLine("roundtrip-" + name, "me@example.org", typeArgs);

        SshPublicKey key = SshPublicKey.parse(line + "\n");

        assertThat(key.toLine()).isEqualTo(line);
        assertThat(key.comment()).isEqualTo("me@example.org");
        assertThat(key.algorithm()).isEqualTo(line.substring(0, line.indexOf(' ')));
        assertThat(key.keyText()).isEqualTo(line.substring(0, line.lastIndexOf(' ')));
    }

    @Test
    void roundTripsAnRsaLineAndReadsItsSize() throws Exception {
        SshPublicKey key = SshPublicKey.parse(rsaLine);

        assertThat(key.toLine()).isEqualTo(rsaLine);
        assertThat(key.type()).isEqualTo(KeyType.RSA);
        assertThat(key.bits()).isEqualTo(2048);
    }

    @Test
    void lineOfAKeyWithoutCommentHasNoTrailingBlank() throws Exception {
        // ssh-keygen -C '' writes "TYPE BASE64 " with a trailing blank
        Path key = dir.resolve("no-comment");
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key.toString())
                .assertSuccess();
        String written = Files.readString(KeyPairFiles.publicKeyPath(key));

        SshPublicKey parsed = SshPublicKey.parse(written);

        assertThat(parsed.comment()).isEmpty();
        assertThat(parsed.toLine()).isEqualTo(written.strip()).doesNotEndWith(" ");
    }

    @Test
    void toLineHasNoTrailingWhitespaceWhateverTheInputHad() throws Exception {
        SshPublicKey key = SshPublicKey.parse(ed25519Line + " \t \r\n");

        assertThat(key.toLine()).isEqualTo(ed25519Line);
        assertThat(key.withComment("  spaced out \t").toLine()).isEqualTo(keyText(ed25519Line) + " spaced out");
    }

    @Test
    void acceptsCrlfLineEndsWithoutKeepingTheCrInTheComment() throws Exception {
        SshPublicKey key = SshPublicKey.parse(ed25519Line + "\r\n");

        assertThat(key.comment()).isEqualTo("user@host").doesNotContain("\r");
        assertThat(key).isEqualTo(SshPublicKey.parse(ed25519Line));
        assertThat(SshPublicKey.parse(keyText(ed25519Line) + "\r\n").comment()).isEmpty();
    }

    @Test
    void acceptsExtraBlanksAndTabsBetweenFields() throws Exception {
        String[] fields = ed25519Line.split(" ");

        SshPublicKey key = SshPublicKey.parse(fields[0] + " \t  " + fields[1] + "\t\t my   laptop \t");

        assertThat(key).isEqualTo(SshPublicKey.parse(ed25519Line));
        assertThat(key.comment()).isEqualTo("my   laptop");
    }

    @Test
    void acceptsALineWithOrWithoutFinalNewline() throws Exception {
        assertThat(SshPublicKey.parse(ed25519Line).toLine()).isEqualTo(ed25519Line);
        assertThat(SshPublicKey.parse(ed25519Line + "\n").toLine()).isEqualTo(ed25519Line);
        assertThat(AuthorizedKey.parse("authorized_keys", rsaLine + "\n" + ed25519Line))
                .extracting(entry -> entry.key().toLine())
                .containsExactly(rsaLine, ed25519Line);
    }

    @Test
    void keepsCommentsWithSpacesAndUtf8AsSshKeygenReadsThem() throws Exception {
        String comment = "Jürgen's laptop — 東京 \uD83D\uDD11";
        Path pub = dir.resolve("utf8.pub");
        Files.writeString(pub, keyText(ed25519Line) + " " + comment + "\n", StandardCharsets.UTF_8);
        String listed = OpenSsh.run(List.of(OpenSsh.sshKeygen().toString(), "-l", "-f", pub.toString()),
                Map.of("LC_ALL", "C.UTF-8"), null, null).assertSuccess().stdout();

        SshPublicKey parsed = SshPublicKey.parse(Files.readString(pub, StandardCharsets.UTF_8));

        assertThat(listed).contains(" " + comment + " (ED25519)");
        assertThat(parsed.comment()).isEqualTo(comment);
        assertThat(parsed.toLine()).isEqualTo(keyText(ed25519Line) + " " + comment);
    }

    @Test
    void readsTheSameKeyAsSshKeygenExportsFromThePrivateKey() throws Exception {
        String exported = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-f", dir.resolve("ed25519").toString())
                .assertSuccess().stdout();

        assertThat(SshPublicKey.parse(exported)).isEqualTo(SshPublicKey.parse(ed25519Line));
        assertThat(SshPublicKey.parse(exported).keyText()).isEqualTo(keyText(ed25519Line));
    }

    @Test
    void rejectsAnEmptyOrBlankLine() {
        for (String empty : new String[] {"", "   ", "\t", "\n", "\r\n"}) {
            assertThatThrownBy(() -> SshPublicKey.parse(empty))
                    .as("'%s'", empty)
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessage("no key on this line");
        }
    }

    @Test
    void anEmptyKeyFileHoldsNoKeysAndIsNoListing() throws Exception {
        assertThat(AuthorizedKey.parse("authorized_keys", "")).isEmpty();
        assertThat(KnownHost.parse("known_hosts", "\n\n")).isEmpty();
        Path empty = Files.writeString(dir.resolve("empty.pub"), "");
        assertThatThrownBy(() -> FingerprintListing.ofFile(empty, null))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("is not a public key file")
                .satisfies(e -> assertThat(((KeyFormatException) e).source()).isEqualTo(empty.toString()));
    }

    @Test
    void rejectsAUtf8ByteOrderMark() throws Exception {
        assertThatThrownBy(() -> SshPublicKey.parse("\uFEFF" + ed25519Line))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("byte-order mark (BOM)");

        // as a file would be read from disk
        Path withBom = dir.resolve("bom.pub");
        Files.write(withBom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                (ed25519Line + "\n").getBytes(StandardCharsets.UTF_8)));
        String text = KeyPairFiles.readText(withBom);
        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse(withBom.toString(), text));
        assertThat(e.source()).isEqualTo(withBom.toString());
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith(withBom + ":1: ").contains("byte-order mark (BOM)");
    }

    @Test
    void rejectsBase64WrappedOverSeveralLines() {
        String wrapped = ed25519Line.substring(0, 40) + "\n" + ed25519Line.substring(40);
        String continuation = ed25519Line.substring(40);

        assertThatThrownBy(() -> SshPublicKey.parse(wrapped))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("expected one public key line, got several lines");
        assertThatThrownBy(() -> SshPublicKey.parse(continuation))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("base64 key data without a key type")
                .hasMessageContaining("wrapped over several lines");

        // in a file, the first, cut-off line is already bad
        KeyFormatException e = Thrown.keyFormat(() -> AuthorizedKey.parse("authorized_keys", wrapped + "\n"));
        assertThat(e.source()).isEqualTo("authorized_keys");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.problem()).contains("truncated or corrupt")
                .contains("line 2 looks like the rest of the key, but a key must be on one line (was it wrapped?)");
    }

    @Test
    void rejectsTypeLabelThatDoesNotMatchTheBlob() {
        String ed25519LabelOnRsaBlob = "ssh-ed25519 " + rsaLine.split(" ")[1] + " c";
        String ecdsaLabelOnEd25519Blob = "ecdsa-sha2-nistp256 " + ed25519Line.split(" ")[1];

        assertThatThrownBy(() -> SshPublicKey.parse(ed25519LabelOnRsaBlob))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("key type 'ssh-ed25519' does not match the key data, which holds an ssh-rsa key");
        assertThatThrownBy(() -> SshPublicKey.parse(ecdsaLabelOnEd25519Blob))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("key type 'ecdsa-sha2-nistp256' does not match the key data")
                .hasMessageContaining("ssh-ed25519");
    }

    @Test
    void rejectsATruncatedBlob() {
        byte[] blob = Base64.getDecoder().decode(ed25519Line.split(" ")[1]);
        String truncated = "ssh-ed25519 " + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, blob.length - 8));

        assertThatThrownBy(() -> SshPublicKey.parse(truncated))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void rejectsABlobWithStrayBytesAfterTheKey() {
        byte[] blob = Base64.getDecoder().decode(ed25519Line.split(" ")[1]);
        String padded = "ssh-ed25519 " + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, blob.length + 3));

        assertThatThrownBy(() -> SshPublicKey.parse(padded))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("3 stray bytes after the key");
    }

    @Test
    void rejectsInvalidBase64() {
        String base64 = ed25519Line.split(" ")[1];
        String invalid = "ssh-ed25519 " + base64.substring(0, 20) + "!*" + base64.substring(22) + " c";

        assertThatThrownBy(() -> SshPublicKey.parse(invalid))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("the key data of this ssh-ed25519 key is not valid base64");
    }

    @Test
    void rejectsUnsupportedDsaKeysThatSshKeygenStillMakes() {
        assertThatThrownBy(() -> SshPublicKey.parse(dsaLine))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("unsupported key type 'ssh-dss'")
                .hasMessageContaining("ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521");
    }

    @Test
    void rejectsUnknownTypesAndATypeWithoutData() {
        assertThatThrownBy(() -> SshPublicKey.parse("hello world"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("unknown key type 'hello'");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("key type 'ssh-ed25519' is not followed by key data");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 # comment"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("key type 'ssh-ed25519' is not followed by key data");
    }

    @Test
    void errorsInFilesNameTheSourceAndTheLine() {
        String text = "# my keys\n\n" + ed25519Line + "\n  \n" + dsaLine + "\n" + rsaLine + "\n";

        String source = "/home/u/.ssh/authorized_keys";
        KeyFormatException authorized = Thrown.keyFormat(() -> AuthorizedKey.parse(source, text));
        assertThat(authorized.source()).isEqualTo(source);
        assertThat(authorized.line()).isEqualTo(5);
        assertThat(authorized.getMessage()).startsWith(source + ":5: unsupported key type 'ssh-dss'");

        KeyFormatException known = Thrown.keyFormat(() -> KnownHost.parse("known_hosts",
                "host1 " + ed25519Line + "\nhost2 ssh-ed25519 AAAA!!!!\n"));
        assertThat(known.source()).isEqualTo("known_hosts");
        assertThat(known.line()).isEqualTo(2);
        assertThat(known.problem()).isEqualTo("the key data of this ssh-ed25519 key is not valid base64");
    }

    @Test
    void randomGarbageOnlyEverFailsWithKeyFormatException() {
        Random random = new Random(20240611L);
        int[] lines = new int[4];
        int[] refused = new int[4];
        for (int i = 0; i < 1000; i++) {
            int kind = i % 4;
            String line = garbageLine(random, kind);
            lines[kind]++;
            refused[kind] += outcome(() -> SshPublicKey.parse(line), line);
            outcome(() -> AuthorizedKey.parse("fuzz", line), line);
            outcome(() -> KnownHost.parse("fuzz", line), line);
            outcome(() -> FingerprintListing.ofText("fuzz", line, null), line);
        }
        // random bytes and printable garbage are never a key; damaged keys reach the blob decoder's error paths
        assertThat(refused[0]).isEqualTo(lines[0]);
        assertThat(refused[1]).isEqualTo(lines[1]);
        assertThat(refused[2] + refused[3]).isGreaterThan((lines[2] + lines[3]) / 4);
    }

    /** 1 when {@code parse} threw KeyFormatException, 0 when it returned; fails on any other exception. */
    private static int outcome(ThrowingCallable parse, String line) {
        try {
            parse.call();
            return 0;
        } catch (KeyFormatException expected) {
            return 1;
        } catch (Throwable other) {
            throw new AssertionError("not a KeyFormatException for line '" + line + "'", other);
        }
    }

    /** Kind 0: random bytes as UTF-8; 1: printable ASCII; 2 and 3: ssh-keygen key lines with bytes changed. */
    private static String garbageLine(Random random, int kind) {
        switch (kind) {
            case 0: {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case 1: {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(200);
                for (int i = 0; i < length; i++) {
                    text.append((char) (' ' + random.nextInt(95)));
                }
                return text.toString();
            }
            default: {
                String line = kind == 2 ? ed25519Line : rsaLine;
                String type = line.substring(0, line.indexOf(' '));
                byte[] blob = Base64.getDecoder().decode(line.split(" ")[1]);
                int changes = 1 + random.nextInt(3);
                for (int i = 0; i < changes; i++) {
                    blob[random.nextInt(blob.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    blob = Arrays.copyOf(blob, random.nextInt(blob.length + 8));
                }
                return type + " " + Base64.getEncoder().encodeToString(blob) + " fuzz";
            }
        }
    }



    private static String keyText(String line) {
        String[] fields = line.split(" ");
        return fields[0] + " " + fields[1];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Generates a key with ssh-keygen and returns its .pub line without the line end. */
    private static String pubLine(String name, String comment, String... typeArgs) throws Exception {
        Path key = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of(typeArgs));
        args.addAll(List.of("-q", "-N", "", "-C", comment, "-f", key.toString()));
        OpenSsh.run(OpenSsh.sshKeygen(), args.toArray(String[]::new)).assertSuccess();
        String text = Files.readString(KeyPairFiles.publicKeyPath(key));
        assertThat(text).endsWith("\n");
        return text.substring(0, text.length() - 1);
    }
}
