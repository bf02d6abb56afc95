package io.jenkins.plugins.azuresshvm.keys;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An SSH public key with its comment: the {@code TYPE BASE64 COMMENT} line of a {@code .pub} file. Equality is that of
 * the key blob; the comment does not count.
 */
public final class SshPublicKey {
    private static final Set<String> SUPPORTED = Set.of(
            "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    private final PublicKey key;
    private final String algorithm;
    private final byte[] blob;
    private final String comment;

    private SshPublicKey(PublicKey key, String algorithm, byte[] blob, String comment) {
        this.key = key;
        this.algorithm = algorithm;
        this.blob = blob;
        this.comment = comment;
    }

    /**
     * The SSH form of a Java public key.
     *
     * @param comment free text; surrounding blanks are dropped, line breaks are refused
     */
    public static SshPublicKey of(PublicKey key, String comment) {
        KeyType.of(key);
        Buffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        byte[] blob = buffer.getCompactData();
        return new SshPublicKey(key, new ByteArrayBuffer(blob).getString(), blob, cleanComment(comment));
    }

    /** Decodes an SSH wire-format key blob. */
    public static SshPublicKey fromBlob(byte[] blob, String comment) throws KeyFormatException {
        String algorithm;
        try {
            algorithm = new ByteArrayBuffer(blob).getString();
        } catch (RuntimeException e) {
            throw new KeyFormatException("key data is truncated or corrupt");
        }
        if (!SUPPORTED.contains(algorithm)) {
            throw new KeyFormatException("unsupported key type '" + printable(algorithm) + "'");
        }
        PublicKey key;
        try {
            Buffer buffer = new ByteArrayBuffer(blob);
            key = buffer.getRawPublicKey();
            if (buffer.available() != 0) {
                throw new KeyFormatException("key data has " + buffer.available() + " stray bytes after the key");
            }
        } catch (KeyFormatException e) {
            throw e;
        } catch (Exception e) {
            throw new KeyFormatException("key data is truncated or corrupt (" + algorithm + ")");
        }
        return new SshPublicKey(key, algorithm, blob.clone(), cleanComment(comment));
    }

    /**
     * Reads one public key line, {@code TYPE BASE64 [COMMENT]}, as OpenSSH does: blanks and tabs separate the
     * fields, a trailing CR is ignored.
     */
    public static SshPublicKey parse(String line) throws KeyFormatException {
        int lineEnd = line.indexOf('\n');
        if (lineEnd >= 0 && !line.substring(lineEnd + 1).isBlank()) {
            throw new KeyFormatException("expected one public key line, got several lines");
        }
        KeyLineScanner scanner = new KeyLineScanner(line);
        SshPublicKey key = scanner.readKey();
        return key.withComment(scanner.rest());
    }

    /** The same key with another comment. */
    public SshPublicKey withComment(String newComment) {
        return new SshPublicKey(key, algorithm, blob, cleanComment(newComment));
    }

    /** The Java key. */
    public PublicKey key() {
        return key;
    }

    public KeyType type() {
        return KeyType.of(key);
    }

    /** The SSH algorithm name in the blob: {@code ssh-rsa}, {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, … */
    public String algorithm() {
        return algorithm;
    }

    /** The size {@code ssh-keygen -l} prints: RSA modulus bits, the ECDSA curve size, 256 for Ed25519. */
    public int bits() {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return 256;
    }

    /** A copy of the wire-format blob (the base64-decoded middle field of the line). */
    public byte[] blob() {
        return blob.clone();
    }

    /** The comment, empty when there is none. */
    public String comment() {
        return comment;
    }

    public Fingerprint fingerprint() {
        return fingerprint(Fingerprint.Algorithm.SHA256);
    }

    public Fingerprint fingerprint(Fingerprint.Algorithm digest) {
        return Fingerprint.of(digest, blob);
    }

    /** {@code TYPE BASE64} without comment, as Azure and authorized_keys want it. */
    public String keyText() {
        return algorithm + " " + Base64.getEncoder().encodeToString(blob);
    }

    /** The {@code .pub} line: {@code TYPE BASE64 COMMENT}, no trailing whitespace, no line break. */
    public String toLine() {
        return comment.isEmpty() ? keyText() : keyText() + " " + comment;
    }

    @Override
    public String toString() {
        return toLine();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SshPublicKey that && Arrays.equals(blob, that.blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    static boolean isKnownAlgorithmName(String name) {
        return SUPPORTED.contains(name) || name.startsWith("ssh-") || name.startsWith("ecdsa-")
                || name.startsWith("sk-") || name.contains("-cert-v01@openssh.com");
    }

    static boolean isSupported(String name) {
        return SUPPORTED.contains(name);
    }

    private static String cleanComment(String comment) {
        String cleaned = Objects.requireNonNullElse(comment, "").strip();
        if (cleaned.indexOf('\n') >= 0 || cleaned.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a key comment cannot contain a line break");
        }
        return cleaned;
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.length() > 40 ? out + "…" : out.toString();
    }
}
