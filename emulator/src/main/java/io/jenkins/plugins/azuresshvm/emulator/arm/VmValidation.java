package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/** Azure's rules for a Linux VM's name, admin username and SSH public keys; each breach is a 400 {@code InvalidParameter}. */
final class VmValidation {

    static final String KEY_TARGET = "linuxConfiguration.ssh.publicKeys.keyData";

    private static final String FORBIDDEN_NAME_CHARS = "\\/\"[]:|<>+=;,?*@&";
    private static final String FORBIDDEN_USER_CHARS = "\\/\"[]:|<>+=;,?*@";

    /** The admin usernames Azure refuses (compared without case). */
    private static final Set<String> RESERVED_USERNAMES = Set.of(
            "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
            "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root",
            "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5");

    private VmValidation() {}

    static void vmName(String name) {
        if (name.isEmpty() || name.length() > 64 || containsAny(name, FORBIDDEN_NAME_CHARS) || hasBlank(name)
                || name.startsWith("_") || name.endsWith(".") || name.endsWith("-")) {
            throw ArmError.invalidParameter("vmName", "Virtual machine name '" + name + "' is invalid: Linux VM names"
                    + " are 1 to 64 characters long, cannot contain blanks or any of " + FORBIDDEN_NAME_CHARS
                    + ", cannot begin with '_' and cannot end with '.' or '-'.");
        }
    }

    static void computerName(String name) {
        if (name.isEmpty() || name.length() > 64 || containsAny(name, FORBIDDEN_NAME_CHARS + "_.") || hasBlank(name)
                || name.startsWith("-") || name.chars().allMatch(Character::isDigit)) {
            throw ArmError.invalidParameter("osProfile.computerName", "Computer name '" + name + "' is invalid: Linux"
                    + " host names are 1 to 64 letters, digits and '-', not only digits, not starting with '-'.");
        }
    }

    static void adminUsername(String name) {
        if (name.isEmpty() || name.length() > 64 || containsAny(name, FORBIDDEN_USER_CHARS) || hasBlank(name)
                || name.endsWith(".") || name.startsWith("-")) {
            throw ArmError.invalidParameter("adminUsername", "Linux admin user name cannot be longer than 64"
                    + " characters, end with a period(.), or contain the following characters: "
                    + FORBIDDEN_USER_CHARS + ".");
        }
        if (RESERVED_USERNAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw ArmError.invalidParameter("adminUsername", "The Admin Username specified is not allowed.");
        }
    }

    /**
     * Checks one {@code publicKeys[].keyData} line, {@code TYPE BASE64 [COMMENT]}: RSA of at least 2048 bits or
     * Ed25519, with a blob that matches its type label. Returns the line trimmed.
     */
    static String sshPublicKey(String keyData) {
        return sshPublicKey(keyData, KEY_TARGET);
    }

    /** Checks a public key line as {@link #sshPublicKey(String)} does; errors name the property {@code target}. */
    static String sshPublicKey(String keyData, String target) {
        String line = keyData.strip();
        String[] fields = line.split("\\s+");
        if (fields.length < 2) {
            throw badKey(target, "is not a public key line 'TYPE BASE64 [COMMENT]'");
        }
        String label = fields[0];
        ByteBuffer blob;
        try {
            blob = ByteBuffer.wrap(Base64.getDecoder().decode(fields[1]));
        } catch (IllegalArgumentException e) {
            throw badKey(target, "carries invalid base64");
        }
        try {
            String type = new String(bytes(blob), StandardCharsets.US_ASCII);
            if (!type.equals(label)) {
                throw badKey(target, "is labelled " + label + " but holds a " + type + " key");
            }
            switch (type) {
                case "ssh-rsa" -> {
                    bytes(blob); // e
                    int bits = new BigInteger(1, bytes(blob)).bitLength();
                    if (bits < 2048) {
                        throw badKey(target, "is an RSA key of " + bits + " bits; Azure requires at least 2048");
                    }
                }
                case "ssh-ed25519" -> {
                    if (bytes(blob).length != 32) {
                        throw badKey(target, "is not a valid Ed25519 key");
                    }
                }
                default -> throw badKey(target, "is of type " + type
                        + "; Azure accepts only ssh-rsa and ssh-ed25519 keys");
            }
            if (blob.hasRemaining()) {
                throw badKey(target, "has trailing data after the key");
            }
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw badKey(target, "is truncated");
        }
        return line;
    }

    private static byte[] bytes(ByteBuffer blob) {
        int length = blob.getInt();
        if (length > blob.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] value = new byte[length];
        blob.get(value);
        return value;
    }

    private static ArmError badKey(String target, String why) {
        return ArmError.invalidParameter(target, "The value of parameter " + target + " is invalid: the key "
                + why + ".");
    }

    private static boolean containsAny(String value, String chars) {
        return value.chars().anyMatch(c -> chars.indexOf(c) >= 0);
    }

    private static boolean hasBlank(String value) {
        return value.chars().anyMatch(Character::isWhitespace);
    }
}
