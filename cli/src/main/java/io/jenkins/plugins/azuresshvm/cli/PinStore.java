package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pinned host keys on disk: {@code $AZSSH_HOME/pins/SUBSCRIPTION/GROUP/VM} ({@code AZSSH_HOME} defaults to
 * {@code ~/.azssh}), directories 0700, files 0600, each written whole or not at all.
 */
final class PinStore {
    static final String HOME_VARIABLE = "AZSSH_HOME";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._()-]+");

    private final Path pins;

    PinStore(Path home) {
        this.pins = home.resolve("pins");
    }

    /** The store under {@code $AZSSH_HOME}, else {@code ~/.azssh}. */
    static PinStore of(Map<String, String> environment) {
        String home = environment.get(HOME_VARIABLE);
        return new PinStore(home != null && !home.isBlank() ? Path.of(home)
                : UserHome.of(environment).resolve(".azssh"));
    }

    /** The stored pin of the VM, or {@code null} when there is none. */
    PinnedHostKeys read(String subscription, String resourceGroup, String vm) throws IOException, KeyFormatException {
        Path file = file(subscription, resourceGroup, vm);
        if (!Files.exists(file)) {
            return null;
        }
        return PinnedHostKeys.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Stores the pin, replacing any other; returns the file. */
    Path write(String subscription, String resourceGroup, String vm, PinnedHostKeys pin) throws IOException {
        Path file = file(subscription, resourceGroup, vm);
        createPrivateDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".pin", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, pin.toText(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /** Removes the pin; whether there was one. */
    boolean delete(String subscription, String resourceGroup, String vm) throws IOException {
        return Files.deleteIfExists(file(subscription, resourceGroup, vm));
    }

    Path file(String subscription, String resourceGroup, String vm) {
        return pins.resolve(checked(subscription)).resolve(checked(resourceGroup)).resolve(checked(vm));
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + name + "' cannot name a pin: use letters, digits, . _ ( ) -");
        }
        return name;
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
