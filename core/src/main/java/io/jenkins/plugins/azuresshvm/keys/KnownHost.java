package io.jenkins.plugins.azuresshvm.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One line of a {@code known_hosts} file: an optional marker, the host patterns (plain, {@code [host]:port}, or
 * hashed {@code |1|salt|hash}), the key and its comment.
 *
 * @param marker {@code @cert-authority}, {@code @revoked} or none
 * @param hosts the host field as written
 * @param key the key, carrying the line's comment
 * @param line the 1-based line number in its file, 0 for an entry made here
 */
public record KnownHost(Marker marker, String hosts, SshPublicKey key, int line) {
    private static final String HASH_MAGIC = "|1|";

    /** The marker that may open a known_hosts line. */
    public enum Marker {
        NONE(""),
        CERT_AUTHORITY("@cert-authority"),
        REVOKED("@revoked");

        private final String text;

        Marker(String text) {
            this.text = text;
        }

        /** As written in the file; empty for {@link #NONE}. */
        public String text() {
            return text;
        }
    }

    public KnownHost {
        Objects.requireNonNull(marker, "marker");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(key, "key");
    }

    /**
     * Reads a whole known_hosts file (or {@code ssh-keyscan} output); blank lines and {@code #} comments are skipped.
     *
     * @throws KeyFormatException naming the first bad line and what is wrong with it
     */
    public static List<KnownHost> parse(String source, String text) throws KeyFormatException {
        return KeyTextFile.parse(source, text, (scanner, number) -> {
            Marker marker = Marker.NONE;
            String hosts = scanner.readQuotedField();
            if (hosts.startsWith("@")) {
                marker = switch (hosts) {
                    case "@cert-authority" -> Marker.CERT_AUTHORITY;
                    case "@revoked" -> Marker.REVOKED;
                    default -> throw new KeyFormatException("unknown marker '" + SshPublicKey.printable(hosts)
                            + "' (only @cert-authority and @revoked exist)");
                };
                hosts = scanner.atEndOrComment() ? "" : scanner.readQuotedField();
            }
            if (hosts.isEmpty() || SshPublicKey.isKnownAlgorithmName(hosts)) {
                throw new KeyFormatException("the host field is missing before the key");
            }
            if (hosts.startsWith(HASH_MAGIC)) {
                checkHashed(hosts);
            }
            SshPublicKey key = scanner.readKey();
            return new KnownHost(marker, hosts, key.withComment(scanner.rest()), number);
        });
    }

    /**
     * A new entry for {@code host} on {@code port}: written {@code [host]:port} when the port is not 22, and hashed
     * as {@code HashKnownHosts yes} does when asked.
     */
    public static KnownHost of(String host, int port, SshPublicKey key, boolean hashed) {
        String name = hostName(host, port);
        if (!hashed) {
            return new KnownHost(Marker.NONE, name, key, 0);
        }
        byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        return new KnownHost(Marker.NONE,
                HASH_MAGIC + base64.encodeToString(salt) + "|" + base64.encodeToString(hmac(salt, name)), key, 0);
    }

    /** How OpenSSH names a host in known_hosts: {@code host} on port 22, {@code [host]:port} otherwise. */
    public static String hostName(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** Whether this entry's host field names {@code host} on {@code port}, by OpenSSH's matching rules. */
    public boolean matches(String host, int port) {
        String name = hostName(host, port).toLowerCase(Locale.ROOT);
        if (hosts.startsWith(HASH_MAGIC)) {
            String[] parts = hosts.substring(HASH_MAGIC.length()).split("\\|");
            Base64.Decoder base64 = Base64.getDecoder();
            return MessageDigest.isEqual(base64.decode(parts[1]), hmac(base64.decode(parts[0]), name));
        }
        boolean matched = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            boolean negated = pattern.startsWith("!");
            if (wildcardMatch(negated ? pattern.substring(1) : pattern, name)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** Whether the host field is hashed. */
    public boolean isHashed() {
        return hosts.startsWith(HASH_MAGIC);
    }

    /** The line as OpenSSH writes it: {@code [MARKER ]HOSTS TYPE BASE64[ COMMENT]}. */
    public String toLine() {
        String entry = hosts + " " + key.toLine();
        return marker == Marker.NONE ? entry : marker.text() + " " + entry;
    }

    private static void checkHashed(String hosts) throws KeyFormatException {
        String[] parts = hosts.substring(HASH_MAGIC.length()).split("\\|", -1);
        try {
            if (parts.length == 2 && Base64.getDecoder().decode(parts[0]).length == 20
                    && Base64.getDecoder().decode(parts[1]).length == 20) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new KeyFormatException("malformed hashed host '" + SshPublicKey.printable(hosts)
                + "' (expected |1|base64 salt|base64 hash)");
    }

    private static byte[] hmac(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this Java runtime", e);
        }
    }

    /** OpenSSH's {@code match_pattern}: {@code *} matches any run, {@code ?} any one character. */
    private static boolean wildcardMatch(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
