package io.jenkins.plugins.azuresshvm.azure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A VM name made from free text (a Jenkins job's full name) and a suffix (a build number) that obeys Azure's rules
 * for Linux VM names and leaves room for the names derived from it ({@code <name>-vnet} has at most 64 characters).
 * Only {@code a-z}, {@code 0-9} and single {@code -} remain; text cut short or changed beyond case gets a hash of the
 * original, so two jobs never share a name because their names differ only in what was dropped.
 */
public final class DerivedVmName {
    /** Room for {@code -vnet}, the longest suffix of a derived resource with a 64-character limit. */
    public static final int MAX_LENGTH = 64 - "-vnet".length();
    private static final int HASH_LENGTH = 8;

    private DerivedVmName() {}

    /**
     * The name for {@code text} and {@code suffix}, e.g. {@code folder/My Job} and {@code 42} →
     * {@code folder-my-job-3f9a01c2-42}.
     *
     * @param text any text, may be empty
     * @param suffix letters, digits and '-' only, at most 32 characters (e.g. a build number)
     * @throws IllegalArgumentException when the suffix breaks those rules
     */
    public static String of(String text, String suffix) {
        if (suffix == null || !suffix.matches("[A-Za-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("VM name suffix '" + suffix
                    + "' must be 1–32 letters, digits or '-'");
        }
        String tail = suffix.toLowerCase(Locale.ROOT);
        String base = slug(text);
        int room = MAX_LENGTH - tail.length() - 1;
        if (base.equals(text.toLowerCase(Locale.ROOT)) && base.length() <= room) {
            return base.isEmpty() ? tail : base + "-" + tail;
        }
        room -= HASH_LENGTH + 1;
        if (base.length() > room) {
            base = trimDashes(base.substring(0, room));
        }
        return (base.isEmpty() ? "" : base + "-") + hash(text) + "-" + tail;
    }

    /** Lower case; every run of characters other than a-z and 0-9 becomes one '-'; no '-' at either end. */
    private static String slug(String text) {
        return trimDashes(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
    }

    private static String trimDashes(String text) {
        return text.replaceAll("^-+|-+$", "");
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
