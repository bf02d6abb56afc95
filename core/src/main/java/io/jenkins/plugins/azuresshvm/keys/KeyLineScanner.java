package io.jenkins.plugins.azuresshvm.keys;

import java.util.Base64;

/**
 * Reads the fields of one line of a public-key text file (.pub, authorized_keys, known_hosts) the way OpenSSH does:
 * fields are separated by blanks and tabs, a CR before the line end is ignored, quoted options may hold blanks.
 */
final class KeyLineScanner {
    private static final char BOM = '\uFEFF';

    private final String line;
    private int pos;

    /** @throws KeyFormatException when the line starts with a byte-order mark, which OpenSSH does not accept */
    KeyLineScanner(String line) throws KeyFormatException {
        if (!line.isEmpty() && line.charAt(0) == BOM) {
            throw new KeyFormatException("the line starts with a UTF-8 byte-order mark (BOM); save the file without it");
        }
        // as OpenSSH: the line ends at the first CR or LF
        int end = 0;
        while (end < line.length() && line.charAt(end) != '\n' && line.charAt(end) != '\r') {
            end++;
        }
        this.line = line.substring(0, end);
        skipBlanks();
    }

    /** Whether only blanks, or a {@code #} comment, are left. */
    boolean atEndOrComment() {
        return pos >= line.length() || line.charAt(pos) == '#';
    }

    /** Whether the next field names a key type (supported or not), i.e. a key starts here. */
    boolean atKeyType() {
        return SshPublicKey.isKnownAlgorithmName(peekField());
    }

    /** The next field, honouring double quotes (authorized_keys options, known_hosts never quote). */
    String readQuotedField() throws KeyFormatException {
        int start = pos;
        boolean quoted = false;
        while (pos < line.length() && (quoted || !isBlank(line.charAt(pos)))) {
            char c = line.charAt(pos);
            if (c == '\\' && pos + 1 < line.length() && line.charAt(pos + 1) == '"') {
                pos++;
            } else if (c == '"') {
                quoted = !quoted;
            }
            pos++;
        }
        if (quoted) {
            throw new KeyFormatException("a double quote opened in column " + (start + 1) + " is never closed");
        }
        String field = line.substring(start, pos);
        skipBlanks();
        return field;
    }

    /** Reads {@code TYPE BASE64} and decodes it; the comment is left for {@link #rest()}. */
    SshPublicKey readKey() throws KeyFormatException {
        if (atEndOrComment()) {
            throw new KeyFormatException("no key on this line");
        }
        String type = readField();
        if (!SshPublicKey.isKnownAlgorithmName(type)) {
            if (looksLikeBase64(type)) {
                throw new KeyFormatException("base64 key data without a key type; a key must be on one line"
                        + " as 'TYPE BASE64 [COMMENT]' (was it wrapped over several lines?)");
            }
            throw new KeyFormatException("unknown key type '" + SshPublicKey.printable(type) + "'");
        }
        if (!SshPublicKey.isSupported(type)) {
            throw new KeyFormatException("unsupported key type '" + SshPublicKey.printable(type)
                    + "'; use ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521");
        }
        if (atEndOrComment()) {
            throw new KeyFormatException("key type '" + type + "' is not followed by key data");
        }
        String base64 = readField();
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("the key data of this " + type + " key is not valid base64");
        }
        SshPublicKey key = SshPublicKey.fromBlob(blob, "");
        if (!key.algorithm().equals(type)) {
            throw new KeyFormatException("key type '" + type + "' does not match the key data, which holds an "
                    + key.algorithm() + " key");
        }
        return key;
    }

    /** What is left of the line as written (trailing blanks kept, as {@code ssh-keygen -l} prints them). */
    String restAsWritten() {
        return line.substring(pos);
    }

    /** What is left of the line, without surrounding blanks; empty when nothing is. */
    String rest() {
        return line.substring(pos).strip();
    }

    private String peekField() {
        int end = pos;
        while (end < line.length() && !isBlank(line.charAt(end))) {
            end++;
        }
        return line.substring(pos, end);
    }

    private String readField() {
        String field = peekField();
        pos += field.length();
        skipBlanks();
        return field;
    }

    private void skipBlanks() {
        while (pos < line.length() && isBlank(line.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean looksLikeBase64(String field) {
        return field.length() >= 16 && field.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+'
                || c == '/' || c == '=');
    }
}
