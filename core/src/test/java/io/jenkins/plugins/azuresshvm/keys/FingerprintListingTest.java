package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import io.jenkins.plugins.azuresshvm.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FingerprintListing} prints, byte for byte, what {@code ssh-keygen -l [-E md5] -f FILE} prints for the same
 * file, except for the documented, deliberate differences, which are tested one by one.
 */
class FingerprintListingTest {
    private static final String PASSPHRASE = "correct horse";

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    /** {@code TYPE BASE64} of keys made by ssh-keygen. */
    private static String ed25519;
    private static String ecdsa;
    private static String rsa;

    @BeforeAll
    static void generateKeysWithSshKeygen() throws Exception {
        ed25519 = keyText(generate(keys, "ed25519", "", "-t", "ed25519"));
        ecdsa = keyText(generate(keys, "ecdsa", "", "-t", "ecdsa", "-b", "384"));
        rsa = keyText(generate(keys, "rsa", "", "-t", "rsa", "-b", "2048", "-m", "PEM"));
    }

    @Test
    void listsASinglePubFileWithComment() throws Exception {
        Path key = generate(dir, "id", "alice@laptop", "-t", "ed25519");

        assertListsLikeSshKeygen(KeyPairFiles.publicKeyPath(key));
    }

    @Test
    void listsAPubFileWithoutCommentAsNoComment() throws Exception {
        Path pub = KeyPairFiles.publicKeyPath(generate(dir, "id", "", "-t", "ecdsa"));

        assertListsLikeSshKeygen(pub);
        assertThat(listing(pub, Fingerprint.Algorithm.SHA256)).contains(" no comment (ECDSA)");
    }

    @Test
    void listsAMultiKeyFileWhereEveryLineHasAComment() throws Exception {
        Path file = write("keys.pub", "# team keys", "", ed25519 + " alice", ecdsa + " bob at work",
                "  " + rsa + "\tcarol  ", "", "# end");

        assertListsLikeSshKeygen(file);
        assertThat(listing(file, Fingerprint.Algorithm.SHA256).lines())
                .extracting(line -> line.substring(line.lastIndexOf(" (")))
                .containsExactly(" (ED25519)", " (ECDSA)", " (RSA)");
    }

    @Test
    void listsAuthorizedKeysShowingTheOptionsOfLinesWithoutComment() throws Exception {
        Path file = write("authorized_keys",
                "from=\"10.0.0.1,10.0.0.2\",command=\"echo a b\" " + ed25519 + " c",
                "no-pty,restrict " + ecdsa,
                "command=\"echo \\\"hi there\\\"\" " + rsa,
                ed25519 + " plain");

        assertListsLikeSshKeygen(file);
        assertThat(listing(file, Fingerprint.Algorithm.SHA256))
                .contains(" no-pty,restrict (ECDSA)", " command=\"echo \\\"hi there\\\"\" (RSA)");
    }

    @Test
    void listsKnownHostsShowingTheHostFieldOfLinesWithoutComment() throws Exception {
        Path file = write("known_hosts",
                "host " + ed25519,
                "[h]:2222 " + ecdsa,
                "host,10.0.0.4 " + rsa,
                "other.example.com " + ed25519 + " added by hand",
                "# old entry",
                "[10.0.0.9]:2200 " + ecdsa + " with comment");

        assertListsLikeSshKeygen(file);
        assertThat(listing(file, Fingerprint.Algorithm.SHA256))
                .contains(" host (ED25519)", " [h]:2222 (ECDSA)", " host,10.0.0.4 (RSA)", " added by hand (ED25519)");
    }

    @Test
    void listsKnownHostsHashedBySshKeygenShowingTheHashedHost() throws Exception {
        Path file = write("known_hosts",
                "host " + ed25519,
                "[h]:2222 " + ecdsa,
                "host,10.0.0.4 " + rsa,
                "other " + ed25519 + " kept comment");
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-H", "-f", file.toString()).assertSuccess();

        assertListsLikeSshKeygen(file);
        assertThat(listing(file, Fingerprint.Algorithm.SHA256)).contains(" |1|").contains(" kept comment (ED25519)");
    }

    @Test
    void listsSshKeyscanOutput(@TempDir Path serverDir) throws Exception {
        Path file = dir.resolve("keyscan");
        try (TestSshd sshd = TestSshd.start(serverDir, List.of())) {
            String scan = OpenSsh.run(OpenSsh.sshKeyscan(), "-p", String.valueOf(sshd.port()), "127.0.0.1")
                    .assertSuccess().stdout();
            Files.writeString(file, scan);
        }

        assertListsLikeSshKeygen(file);
        assertThat(FingerprintListing.ofFile(file, null).entries()).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa PEM", "ecdsa PKCS8", "rsa PEM"})
    void listsAPrivateKeyWithTheCommentOfItsPubFile(String typeAndFormat) throws Exception {
        Path key = privateKey(typeAndFormat, "from the pub file");

        assertListsLikeSshKeygen(key);
        assertThat(listing(key, Fingerprint.Algorithm.SHA256)).contains(" from the pub file (");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa PEM", "ecdsa PKCS8", "rsa PEM"})
    void listsAPrivateKeyWithoutPubFile(String typeAndFormat) throws Exception {
        Path key = privateKey(typeAndFormat, "inside");
        Files.delete(KeyPairFiles.publicKeyPath(key));

        assertListsLikeSshKeygen(key);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa PEM", "ecdsa PKCS8"})
    void listsAPrivateKeyWhosePubFileHasNoCommentWithThePubFilePath(String typeAndFormat) throws Exception {
        Path key = privateKey(typeAndFormat, "");

        assertListsLikeSshKeygen(key);
        assertThat(listing(key, Fingerprint.Algorithm.SHA256)).contains(" " + key + ".pub (");
    }

    @Test
    void listsAnEncryptedOpenSshKeyWithoutPubFileAsNoCommentWithoutPassphrase() throws Exception {
        Path key = generate(dir, "id", "secret comment", "-t", "ed25519", "-N", PASSPHRASE, "-a", "1");
        Files.delete(KeyPairFiles.publicKeyPath(key));

        assertListsLikeSshKeygen(key);
        assertThat(listing(key, Fingerprint.Algorithm.SHA256)).contains(" no comment (ED25519)");
    }

    @Test
    void listsAnEncryptedOpenSshKeyOnStandardInputLikeTheSameFileWithoutPubFile() throws Exception {
        Path key = generate(dir, "id", "secret comment", "-t", "ed25519", "-N", PASSPHRASE, "-a", "1");
        Files.delete(KeyPairFiles.publicKeyPath(key));

        FingerprintListing.Result result = FingerprintListing.ofText("(stdin)", Files.readString(key), null);

        assertThat(lines(result, Fingerprint.Algorithm.SHA256))
                .isEqualTo(sshKeygenList(key, "sha256"))
                .contains(" no comment (ED25519)");
    }

    @Test
    void listsAnEncryptedOpenSshKeyWithItsOwnCommentGivenThePassphrase() throws Exception {
        Path key = generate(dir, "id", "secret comment", "-t", "ecdsa", "-N", PASSPHRASE, "-a", "1");
        Files.delete(KeyPairFiles.publicKeyPath(key));
        Path exported = exportPublicKey(key);

        FingerprintListing.Result result = FingerprintListing.ofFile(key, PASSPHRASE.toCharArray());

        assertThat(lines(result, Fingerprint.Algorithm.SHA256)).isEqualTo(sshKeygenList(exported, "sha256"));
        assertThat(lines(result, Fingerprint.Algorithm.SHA256)).contains(" secret comment (ECDSA)");
    }

    @Test
    void encryptedPemKeyWithoutPubFileNeedsThePassphraseWhichSshKeygenCannotTake() throws Exception {
        Path key = generate(dir, "id", "", "-t", "ecdsa", "-m", "PEM", "-N", PASSPHRASE, "-a", "1");
        Files.delete(KeyPairFiles.publicKeyPath(key));
        Path exported = exportPublicKey(key);

        OpenSsh.Result keygen = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", key.toString());
        assertThat(keygen.exitCode()).isNotZero();

        PassphraseException missing = Thrown.by(PassphraseException.class,
                () -> FingerprintListing.ofFile(key, null));
        assertThat(missing.isMissing()).isTrue();
        assertThat(missing.source()).isEqualTo(key.toString());
        assertThat(missing.getMessage()).doesNotContain(PASSPHRASE);

        PassphraseException wrong = Thrown.by(PassphraseException.class,
                () -> FingerprintListing.ofFile(key, "wrong passphrase".toCharArray()));
        assertThat(wrong.isMissing()).isFalse();

        FingerprintListing.Result result = FingerprintListing.ofFile(key, PASSPHRASE.toCharArray());
        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            assertThat(lines(result, algorithm)).isEqualTo(sshKeygenList(exported, name(algorithm)));
        }
        assertThat(lines(result, Fingerprint.Algorithm.SHA256)).contains(" no comment (ECDSA)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void randomArtIsWhatSshKeygenLvDraws(String type) throws Exception {
        Path pub = write("art.pub", (type.equals("ed25519") ? ed25519 : type.equals("ecdsa") ? ecdsa : rsa) + " art");

        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            String expected = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-v", "-E", name(algorithm), "-f",
                    pub.toString()).assertSuccess().stdout();
            FingerprintListing.Entry entry = FingerprintListing.ofFile(pub, null).entries().get(0);

            String ours = entry.toLine(algorithm) + "\n" + RandomArt.of(entry.key(), algorithm) + "\n";

            assertThat(ours).as(algorithm.name()).isEqualTo(expected);
        }
    }

    @Test
    void dropsTheCrOfCrlfFilesWhichSshKeygen92KeepsInTheComment() throws Exception {
        Path file = write("crlf.pub", ed25519 + " one\r", "host " + ecdsa + " two words\r");

        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            String keygen = sshKeygenList(file, name(algorithm));
            String ours = listing(file, algorithm);

            assertThat(ours).isEqualTo(keygen.replace("\r", "")).doesNotContain("\r");
        }
    }

    @Test
    void showsNoCommentForABareKeyLineAfterACommentedLineWhereSshKeygen92ShowsAStaleOne() throws Exception {
        Path file = write("keys.pub", ed25519 + " one", ecdsa);
        // 9.2 prints a dangling pointer there (sometimes bytes with a newline), so each line is compared with what
        // ssh-keygen prints for that line alone
        Path first = write("first.pub", ed25519 + " one");
        Path second = write("second.pub", ecdsa);

        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            List<String> ours = listing(file, algorithm).lines().toList();

            assertThat(ours).containsExactly(
                    sshKeygenList(first, name(algorithm)).strip(),
                    sshKeygenList(second, name(algorithm)).strip());
            assertThat(ours.get(1)).endsWith(" no comment (ECDSA)");
        }
    }

    @Test
    void refusesAFileOfOnlyMarkerLinesAsSshKeygenDoes() throws Exception {
        Path file = write("known_hosts",
                "@revoked bad.example.com " + ed25519,
                "@cert-authority *.example.com " + ecdsa + " ca");

        OpenSsh.Result keygen = OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-f", file.toString());
        assertThat(keygen.exitCode()).isEqualTo(255);
        assertThat(keygen.stderr()).contains("is not a public key file");

        KeyFormatException e = Thrown.by(KeyFormatException.class, () -> FingerprintListing.ofFile(file, null));
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.line()).isZero();
        assertThat(e.problem()).startsWith("is not a public key file");
    }

    @Test
    void listsGoodLinesAsSshKeygenAndReportsBadKeyLinesWithTheirNumbers() throws Exception {
        String base64 = ecdsa.split(" ")[1];
        Path file = write("keys.pub",
                ed25519 + " good one",
                "ssh-ed25519 AAAA!!!! broken base64",
                "ecdsa-sha2-nistp384 " + base64.substring(0, base64.length() - 24) + " cut short",
                "",
                rsa + " good two");

        FingerprintListing.Result result = FingerprintListing.ofFile(file, null);

        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            assertThat(lines(result, algorithm)).isEqualTo(sshKeygenList(file, name(algorithm)));
        }
        assertThat(result.entries()).extracting(FingerprintListing.Entry::comment)
                .containsExactly("good one", "good two");
        assertThat(result.problems()).extracting(KeyFormatException::line).containsExactly(2, 3);
        assertThat(result.problems()).extracting(KeyFormatException::source).containsOnly(file.toString());
        assertThat(result.problems().get(0).problem()).contains("not valid base64");
        assertThat(result.problems().get(1).problem()).contains("truncated or corrupt");
    }

    /** Our listing equals {@code ssh-keygen -l [-E md5] -f file}'s output exactly, and nothing was skipped. */
    private static void assertListsLikeSshKeygen(Path file) throws Exception {
        for (Fingerprint.Algorithm algorithm : Fingerprint.Algorithm.values()) {
            String expected = sshKeygenList(file, name(algorithm));
            FingerprintListing.Result result = FingerprintListing.ofFile(file, null);

            assertThat(lines(result, algorithm)).as("%s of %s", algorithm, file).isEqualTo(expected);
            assertThat(result.problems()).isEmpty();
        }
    }

    private static String listing(Path file, Fingerprint.Algorithm algorithm) throws Exception {
        return lines(FingerprintListing.ofFile(file, null), algorithm);
    }

    private static String lines(FingerprintListing.Result result, Fingerprint.Algorithm algorithm) {
        return result.entries().stream().map(entry -> entry.toLine(algorithm)).collect(Collectors.joining("\n"))
                + "\n";
    }

    private static String sshKeygenList(Path file, String hash) {
        return OpenSsh.run(OpenSsh.sshKeygen(), "-l", "-E", hash, "-f", file.toString()).assertSuccess().stdout();
    }

    /** The public key of a private key file as {@code ssh-keygen -y} derives it, in a file of its own. */
    private Path exportPublicKey(Path key) throws Exception {
        String exported = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", PASSPHRASE, "-f", key.toString())
                .assertSuccess().stdout();
        return Files.writeString(dir.resolve("exported.pub"), exported);
    }

    private static String name(Fingerprint.Algorithm algorithm) {
        return algorithm.name().toLowerCase();
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    /**
     * A private key written by ssh-keygen as "TYPE[ FORMAT]" ({@code -t TYPE [-m FORMAT]}), with its .pub file. RSA
     * keys are slow to make: the one made for the class is copied, its .pub written as ssh-keygen writes it.
     */
    private Path privateKey(String typeAndFormat, String comment) throws Exception {
        String[] parts = typeAndFormat.split(" ");
        if (parts[0].equals("rsa")) {
            assertThat(typeAndFormat).isEqualTo("rsa PEM");
            Path key = Files.copy(keys.resolve("rsa"), dir.resolve("id"));
            Files.writeString(KeyPairFiles.publicKeyPath(key), rsa + " " + comment + "\n");
            return key;
        }
        List<String> args = new ArrayList<>(List.of("-t", parts[0]));
        if (parts.length > 1) {
            args.addAll(List.of("-m", parts[1]));
        }
        return generate(dir, "id", comment, args.toArray(String[]::new));
    }

    /**
     * Runs {@code ssh-keygen -q -C comment -f dir/name ARGS} (no passphrase unless ARGS has -N; encrypted keys are
     * made with {@code -a 1} KDF round to stay fast); the key path.
     */
    private static Path generate(Path in, String name, String comment, String... args) {
        Path key = in.resolve(name);
        List<String> command = new ArrayList<>(List.of("-q", "-C", comment, "-f", key.toString()));
        command.addAll(List.of(args));
        if (!command.contains("-N")) {
            command.addAll(List.of("-N", ""));
        }
        OpenSsh.run(OpenSsh.sshKeygen(), command.toArray(String[]::new)).assertSuccess();
        return key;
    }

    private static String keyText(Path key) throws Exception {
        String[] fields = Files.readString(KeyPairFiles.publicKeyPath(key)).split(" ");
        return fields[0] + " " + fields[1].strip();
    }


}
