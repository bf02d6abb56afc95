package io.jenkins.plugins.azuresshvm.keys;

import java.util.List;

/**
 * One line of an {@code authorized_keys} file: optional options ({@code from="…",no-pty}), the key, its comment.
 *
 * @param options the options field as written, empty when none
 * @param key the key, carrying the line's comment
 * @param line the 1-based line number in its file
 */
public record AuthorizedKey(String options, SshPublicKey key, int line) {

    /**
     * Reads a whole authorized_keys file; blank lines and {@code #} comments are skipped.
     *
     * @throws KeyFormatException naming the first bad line and what is wrong with it
     */
    public static List<AuthorizedKey> parse(String source, String text) throws KeyFormatException {
        return KeyTextFile.parse(source, text, (scanner, number) -> {
            String options = scanner.atKeyType() ? "" : scanner.readQuotedField();
            SshPublicKey key = scanner.readKey();
            return new AuthorizedKey(options, key.withComment(scanner.rest()), number);
        });
    }

    /** The line as it would be written back: {@code [OPTIONS ]TYPE BASE64[ COMMENT]}. */
    public String toLine() {
        return options.isEmpty() ? key.toLine() : options + " " + key.toLine();
    }
}
