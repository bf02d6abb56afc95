package io.jenkins.plugins.azuresshvm.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ssh-keygen -l -f FILE} lists, key by key, for public key files, authorized_keys, known_hosts,
 * {@code ssh-keyscan} output and private key files, with OpenSSH's rules for the comment shown. Differences, all
 * deliberate: a CR before the line end is dropped from comments (as OpenSSH after 9.2 does), each line's comment
 * stands alone (OpenSSH 9.2 could show a previous line's), private keys may come on standard input, encrypted keys
 * are read when a passphrase is given, and bad key lines are reported instead of silently skipped.
 */
public final class FingerprintListing {

    /**
     * One listed key.
     *
     * @param key the key
     * @param comment what ssh-keygen shows as its comment: the key's comment, host field or options; empty for none
     */
    public record Entry(SshPublicKey key, String comment) {
        /** {@code BITS FINGERPRINT COMMENT (TYPE)}, as {@code ssh-keygen -l} prints it. */
        public String toLine(Fingerprint.Algorithm algorithm) {
            return key.bits() + " " + key.fingerprint(algorithm) + " "
                    + (comment.isEmpty() ? "no comment" : comment) + " (" + key.type().label() + ")";
        }
    }

    /**
     * The keys found, and the lines that named a key type but could not be read.
     *
     * @param entries the keys, in file order
     * @param problems bad key lines, each with its source and line
     */
    public record Result(List<Entry> entries, List<KeyFormatException> problems) {}

    private FingerprintListing() {}

    /**
     * Lists the keys of a file. A file whose first line holds {@code PRIVATE KEY} is read as a private key: its
     * {@code .pub} companion gives key and comment when present, as with ssh-keygen.
     *
     * @param passphrase for an encrypted private key without {@code .pub}; {@code null} when none was given
     * @throws KeyFormatException when the file holds no key at all, or a private key that cannot be read
     */
    public static Result ofFile(Path file, char[] passphrase) throws IOException, KeyFormatException {
        String source = file.toString();
        String text = KeyPairFiles.readText(file);
        if (firstLine(text).contains("PRIVATE KEY")) {
            return new Result(List.of(privateKeyEntry(file, text, passphrase)), List.of());
        }
        return ofPublicText(source, text);
    }

    /** Lists the keys of text read from a stream (standard input); private keys are read too. */
    public static Result ofText(String source, String text, char[] passphrase) throws KeyFormatException {
        if (firstLine(text).contains("PRIVATE KEY")) {
            return new Result(List.of(privateKeyEntry(source, text, passphrase)), List.of());
        }
        return ofPublicText(source, text);
    }

    private static Result ofPublicText(String source, String text) throws KeyFormatException {
        List<Entry> entries = new ArrayList<>();
        List<KeyFormatException> problems = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            try {
                Entry entry = entryOf(line);
                if (entry != null) {
                    entries.add(entry);
                }
            } catch (KeyFormatException e) {
                problems.add(e.at(source, number));
            }
        }
        if (entries.isEmpty()) {
            String why = problems.isEmpty() ? "" : " (" + problems.get(0).getMessage() + ")";
            throw new KeyFormatException(source, 0, "is not a public key file: no key found" + why);
        }
        return new Result(List.copyOf(entries), List.copyOf(problems));
    }

    /** One line by ssh-keygen's rules: a bare key, or a key after one leading field (options or hosts). */
    private static Entry entryOf(String line) throws KeyFormatException {
        KeyLineScanner scanner = new KeyLineScanner(line);
        if (scanner.atEndOrComment()) {
            return null;
        }
        String leading = "";
        if (!scanner.atKeyType()) {
            leading = scanner.readQuotedField();
            // ssh-keygen leaves a leading decimal number in place (old RSA1 "bits e n" keys), so such lines fail
            if (leading.matches("[+-]?[0-9]+") && !leading.matches("[+-]?0+")) {
                return null;
            }
            if (!scanner.atKeyType()) {
                return null;
            }
        }
        SshPublicKey key = scanner.readKey();
        String rest = scanner.restAsWritten();
        String comment = !rest.isEmpty() && rest.charAt(0) != '#' ? rest : leading;
        return new Entry(key.withComment(scanner.rest()), comment);
    }

    private static Entry privateKeyEntry(Path file, String text, char[] passphrase)
            throws IOException, KeyFormatException {
        String source = file.toString();
        Path publicFile = KeyPairFiles.publicKeyPath(file);
        if (Files.isRegularFile(publicFile)) {
            for (String line : KeyPairFiles.readText(publicFile).split("\n", -1)) {
                if (line.startsWith("-----BEGIN")) {
                    break;
                }
                try {
                    KeyLineScanner scanner = new KeyLineScanner(line);
                    if (!scanner.atEndOrComment() && scanner.atKeyType()) {
                        SshPublicKey key = scanner.readKey();
                        String comment = scanner.rest();
                        return new Entry(key, comment.isEmpty() ? publicFile.toString() : comment);
                    }
                } catch (KeyFormatException e) {
                    // as ssh-keygen: an unreadable line in the .pub file is passed over
                }
            }
        }
        return privateKeyEntry(source, text, passphrase);
    }

    /**
     * A private key without {@code .pub}: an openssh-key-v1 file shows its public key even when encrypted and no
     * passphrase is given (with no comment, as ssh-keygen); other formats must be decrypted.
     */
    private static Entry privateKeyEntry(String source, String text, char[] passphrase) throws KeyFormatException {
        SshPublicKey stored = PrivateKeyDecoder.publicKeyOf(source, text);
        if (stored != null && passphrase == null) {
            try {
                SshKeyPair pair = PrivateKeyDecoder.decode(source, text, null);
                return new Entry(pair.publicKey(), pair.comment());
            } catch (PassphraseException e) {
                return new Entry(stored, "");
            }
        }
        SshKeyPair pair = PrivateKeyDecoder.decode(source, text, passphrase);
        return new Entry(pair.publicKey(), pair.comment());
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
