package io.jenkins.plugins.azuresshvm.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A public key fingerprint as OpenSSH prints it: {@code SHA256:} + unpadded base64, or {@code MD5:} + colon-separated
 * hex. Two fingerprints are equal when their digests are; parsing accepts base64 with or without padding and with or
 * without the algorithm prefix.
 */
public final class Fingerprint {

    /** The digest a fingerprint is made with. */
    public enum Algorithm {
        SHA256("SHA-256", 32),
        MD5("MD5", 16);

        private final String jcaName;
        private final int length;

        Algorithm(String jcaName, int length) {
            this.jcaName = jcaName;
            this.length = length;
        }

        /** The algorithm named {@code sha256} or {@code md5} (as {@code ssh-keygen -E}); case-insensitive. */
        public static Algorithm fromName(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "sha256" -> SHA256;
                case "md5" -> MD5;
                default -> throw new IllegalArgumentException(
                        "unknown fingerprint hash '" + name + "'; use sha256 or md5");
            };
        }
    }

    private static final Pattern MD5_HEX = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){15}");
    private static final Pattern HEX_PAIRS = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2})+");

    private final Algorithm algorithm;
    private final byte[] digest;

    private Fingerprint(Algorithm algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** The fingerprint of a public key's wire-format blob. */
    public static Fingerprint of(Algorithm algorithm, byte[] blob) {
        try {
            return new Fingerprint(algorithm, MessageDigest.getInstance(algorithm.jcaName).digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jcaName + " is missing from this Java runtime", e);
        }
    }

    /**
     * Reads a fingerprint as a user may give it: {@code SHA256:base64} (padded or not), the bare base64, {@code
     * MD5:aa:bb:…} or the bare hex pairs.
     *
     * @throws IllegalArgumentException saying what is wrong with it (the text is not secret and is quoted)
     */
    public static Fingerprint parse(String text) {
        String value = text.strip();
        int colon = value.indexOf(':');
        String prefix = colon > 0 ? value.substring(0, colon).toUpperCase(Locale.ROOT) : "";
        if (prefix.equals("MD5") || (prefix.isEmpty() || prefix.length() == 2) && HEX_PAIRS.matcher(value).matches()) {
            String hex = prefix.equals("MD5") ? value.substring(colon + 1) : value;
            if (!MD5_HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an MD5 fingerprint (16 hex pairs joined by ':')");
            }
            return new Fingerprint(Algorithm.MD5, HexFormat.ofDelimiter(":").parseHex(hex.toLowerCase(Locale.ROOT)));
        }
        String base64 = prefix.equals("SHA256") ? value.substring(colon + 1) : value;
        if (!prefix.isEmpty() && !prefix.equals("SHA256")) {
            throw new IllegalArgumentException("'" + text + "' is not a fingerprint: unknown hash '" + prefix
                    + "' (use SHA256: or MD5:)");
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA256 fingerprint: invalid base64", e);
        }
        if (digest.length != Algorithm.SHA256.length) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA256 fingerprint: it holds " + digest.length
                    + " bytes, not 32");
        }
        return new Fingerprint(Algorithm.SHA256, digest);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** A copy of the digest bytes. */
    public byte[] digest() {
        return digest.clone();
    }

    /** Whether this is the fingerprint of {@code key}. */
    public boolean matches(SshPublicKey key) {
        return equals(key.fingerprint(algorithm));
    }

    /** As OpenSSH prints it: {@code SHA256:} + unpadded base64, or {@code MD5:} + hex pairs. */
    @Override
    public String toString() {
        return switch (algorithm) {
            case SHA256 -> "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            case MD5 -> "MD5:" + HexFormat.ofDelimiter(":").formatHex(digest);
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint that
                && algorithm == that.algorithm
                && MessageDigest.isEqual(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(digest);
    }
}
