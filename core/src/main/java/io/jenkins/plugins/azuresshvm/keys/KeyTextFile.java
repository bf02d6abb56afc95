package io.jenkins.plugins.azuresshvm.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The line loop shared by authorized_keys and known_hosts: blank lines and {@code #} comments are skipped, and an
 * error is placed at its file and line, with a hint when the key looks wrapped over the following line.
 */
final class KeyTextFile {
    private static final Pattern BASE64_START = Pattern.compile("[A-Za-z0-9+/]{8,}=*(\\s.*)?");

    /** Reads one non-blank, non-comment line. */
    interface LineParser<T> {
        T parse(KeyLineScanner scanner, int number) throws KeyFormatException;
    }

    private KeyTextFile() {}

    static <T> List<T> parse(String source, String text, LineParser<T> parser) throws KeyFormatException {
        String[] lines = text.split("\n", -1);
        List<T> entries = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            try {
                KeyLineScanner scanner = new KeyLineScanner(lines[i]);
                if (!scanner.atEndOrComment()) {
                    entries.add(parser.parse(scanner, i + 1));
                }
            } catch (KeyFormatException e) {
                KeyFormatException placed = e.at(source, i + 1);
                if (i + 1 < lines.length && BASE64_START.matcher(lines[i + 1].strip()).matches()) {
                    placed = new KeyFormatException(source, i + 1, e.problem() + "; line " + (i + 2)
                            + " looks like the rest of the key, but a key must be on one line (was it wrapped?)");
                }
                throw placed;
            }
        }
        return entries;
    }
}
