package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.AuthorizedKey;
import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Host keys a caller supplies from a trusted source (the {@code PROVIDED} mode), as text: either public key lines
 * ({@code TYPE BASE64 [COMMENT]}, or known_hosts lines {@code HOSTS TYPE BASE64 [COMMENT]}), or fingerprint lines as
 * {@code ssh-keygen -l} prints them ({@code 256 SHA256:… root@vm (ED25519)}). Blank lines and {@code #} comments are
 * skipped, and so is a key given again (known_hosts has one line per host name); a second, different key of one
 * algorithm, or anything else unexpected, is refused with its line.
 */
public final class ProvidedHostKeys {
    private static final Pattern FINGERPRINT_LINE_START = Pattern.compile("\\s*[0-9]+\\s+(?i:SHA256|MD5):.*");
    private static final Pattern FINGERPRINT_LINE = Pattern.compile(
            "\\s*([0-9]+)\\s+(\\S+)(?:\\s+.*?)?\\s+\\(([A-Z0-9-]+)\\)\\s*");

    private ProvidedHostKeys() {}

    /**
     * Reads public key lines or fingerprint lines, whichever the first line holds.
     *
     * @param source what the text is, for messages (e.g. "host keys of agent template linux-small")
     * @throws KeyFormatException naming the line and what is wrong with it
     */
    public static HostKeyPolicy parse(String source, String text) throws KeyFormatException {
        String first = text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .findFirst().orElse("");
        return FINGERPRINT_LINE_START.matcher(first).matches() ? fingerprints(source, text) : keys(source, text);
    }

    /**
     * Reads public key lines and known_hosts lines. Known_hosts marker lines ({@code @cert-authority},
     * {@code @revoked}) are refused: they do not name a server's own key.
     */
    public static ExpectedHostKeys keys(String source, String text) throws KeyFormatException {
        List<String> lines = List.of(text.split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("@")) {
                throw new KeyFormatException(source, i + 1, "known_hosts marker lines (@cert-authority, @revoked)"
                        + " do not name a host key; give the server's own keys");
            }
        }
        // a known_hosts host field stands where authorized_keys options would: one leading field before the key
        List<AuthorizedKey> entries = AuthorizedKey.parse(source, text);
        Map<String, SshPublicKey> byAlgorithm = new LinkedHashMap<>();
        Map<String, Integer> lineOfAlgorithm = new HashMap<>();
        for (AuthorizedKey entry : entries) {
            SshPublicKey key = entry.key();
            if (!key.equals(byAlgorithm.get(key.algorithm()))) {
                checkFirstOfAlgorithm(lineOfAlgorithm, key.algorithm(), source, entry.line());
                byAlgorithm.put(key.algorithm(), key);
            }
        }
        List<SshPublicKey> keys = List.copyOf(byAlgorithm.values());
        if (keys.isEmpty()) {
            throw new KeyFormatException(source, 0, "no host key given; a server whose keys are unknown is never"
                    + " trusted");
        }
        return ExpectedHostKeys.of(keys, source);
    }

    /** Reads {@code ssh-keygen -l} lines: {@code BITS SHA256:… [COMMENT] (TYPE)}; MD5 fingerprints are refused. */
    public static ExpectedFingerprints fingerprints(String source, String text) throws KeyFormatException {
        Map<String, Fingerprint> byAlgorithm = new LinkedHashMap<>();
        Map<String, Integer> lineOfAlgorithm = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var matcher = FINGERPRINT_LINE.matcher(line);
            if (!matcher.matches()) {
                throw new KeyFormatException(source, i + 1, "not a fingerprint line as ssh-keygen -l prints it"
                        + " (BITS SHA256:… COMMENT (TYPE))");
            }
            String algorithm = keyAlgorithm(matcher.group(3), Integer.parseInt(matcher.group(1)), source, i + 1);
            Fingerprint fingerprint = sha256(matcher.group(2), source, i + 1);
            if (!fingerprint.equals(byAlgorithm.get(algorithm))) {
                checkFirstOfAlgorithm(lineOfAlgorithm, algorithm, source, i + 1);
                byAlgorithm.put(algorithm, fingerprint);
            }
        }
        if (byAlgorithm.isEmpty()) {
            throw new KeyFormatException(source, 0, "no host key fingerprint given; a server whose keys are unknown"
                    + " is never trusted");
        }
        return ExpectedFingerprints.of(byAlgorithm, source);
    }

    /** The SSH key algorithm of an {@code ssh-keygen -l} type label and size. */
    private static String keyAlgorithm(String label, int bits, String source, int line) throws KeyFormatException {
        String algorithm = switch (label) {
            case "RSA" -> "ssh-rsa";
            case "ED25519" -> bits == 256 ? "ssh-ed25519" : null;
            case "ECDSA" -> bits == 256 || bits == 384 || bits == 521 ? "ecdsa-sha2-nistp" + bits : null;
            default -> throw new KeyFormatException(source, line, "unsupported host key type (" + label
                    + "); use RSA, ECDSA or ED25519");
        };
        if (algorithm == null) {
            throw new KeyFormatException(source, line, label + " keys have no size " + bits);
        }
        return algorithm;
    }

    private static Fingerprint sha256(String text, String source, int line) throws KeyFormatException {
        Fingerprint fingerprint;
        try {
            fingerprint = Fingerprint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(source, line, e.getMessage());
        }
        if (fingerprint.algorithm() != Fingerprint.Algorithm.SHA256) {
            throw new KeyFormatException(source, line, "MD5 fingerprints are not trusted; give the SHA256 ones"
                    + " (ssh-keygen -l without -E md5)");
        }
        return fingerprint;
    }

    private static void checkFirstOfAlgorithm(Map<String, Integer> lineOfAlgorithm, String algorithm, String source,
            int line) throws KeyFormatException {
        Integer first = lineOfAlgorithm.putIfAbsent(algorithm, line);
        if (first != null) {
            throw new KeyFormatException(source, line, "a second " + algorithm + " host key (the first is on line "
                    + first + "); a server has one key per algorithm");
        }
    }
}
