package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SSH host key files as a fresh Ubuntu image has them: {@code ssh_host_<type>_key} (0600) and {@code .pub} (0644),
 * made by ssh-keygen or given through cloud-init's {@code ssh_keys}.
 */
final class HostKeys {

    /** The host key types, in the order sshd is configured with them. */
    static final List<String> TYPES = List.of("rsa", "ecdsa", "ed25519");

    private static final long KEYGEN_TIMEOUT_SECONDS = 30;

    private HostKeys() {}

    static Path privateKey(Path dir, String type) {
        return dir.resolve("ssh_host_" + type + "_key");
    }

    static Path publicKey(Path dir, String type) {
        return dir.resolve("ssh_host_" + type + "_key.pub");
    }

    /** Generates new key pairs of {@code types} in {@code dir}, replacing existing ones; ssh-keygen runs in parallel. */
    static void generate(Path dir, Collection<String> types, String comment) throws IOException {
        generate(dir, types, comment, false, null);
    }

    /**
     * Generates new key pairs of {@code types} in {@code dir}, replacing existing ones; ssh-keygen runs in parallel,
     * under {@code nice} when {@code background}, so that it yields the CPU to VMs booting and ARM requests, and
     * watched by {@code watchdog} (when not {@code null}), so that it ends with the JVM.
     */
    static void generate(Path dir, Collection<String> types, String comment, boolean background, Watchdog watchdog)
            throws IOException {
        Map<String, Process> keygens = new LinkedHashMap<>();
        try {
            for (String type : types) {
                Files.deleteIfExists(privateKey(dir, type));
                Files.deleteIfExists(publicKey(dir, type));
                List<String> command = new ArrayList<>();
                if (background) {
                    command.addAll(List.of(Requirements.NICE.toString(), "-n", "10"));
                }
                command.addAll(List.of(
                        Requirements.SSH_KEYGEN.toString(), "-q", "-t", type, "-N", "", "-C", comment,
                        "-f", privateKey(dir, type).toString()));
                if (type.equals("rsa")) {
                    command.addAll(List.of("-b", "3072"));
                }
                Process keygen = new ProcessBuilder(command).redirectErrorStream(true).start();
                keygens.put(type, keygen);
                if (watchdog != null) {
                    watchdog.watch(keygen.pid());
                }
            }
            for (var keygen : keygens.entrySet()) {
                Process process = keygen.getValue();
                if (!process.waitFor(KEYGEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("ssh-keygen did not make " + privateKey(dir, keygen.getKey())
                            + " within " + KEYGEN_TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IOException("ssh-keygen failed (exit " + process.exitValue() + ") to make "
                            + privateKey(dir, keygen.getKey()) + ": "
                            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating host keys in " + dir, e);
        } finally {
            for (Process keygen : keygens.values()) {
                keygen.destroyForcibly();
                if (watchdog != null) {
                    awaitEnd(keygen);
                    watchdog.unwatch(keygen.pid());
                }
            }
        }
    }

    /** Waits for a killed process to be gone, so that its PID may not be recycled while still watched. */
    private static void awaitEnd(Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            process.waitFor(KEYGEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes {@code keys} into {@code dir} as cloud-init does: the private key 0600, the public key 0644, derived
     * from the private key with {@code ssh-keygen -y} when not given.
     */
    static void install(Path dir, List<HostKeyPair> keys) throws IOException {
        for (HostKeyPair key : keys) {
            Path privateKey = privateKey(dir, key.type());
            Files.deleteIfExists(privateKey);
            Files.createFile(privateKey,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(privateKey, withNewline(key.privateKey()));
            String publicKey = key.publicKey() != null ? key.publicKey() : derivePublicKey(privateKey);
            Files.writeString(publicKey(dir, key.type()), withNewline(publicKey.strip()));
            Files.setPosixFilePermissions(publicKey(dir, key.type()), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    /** {@code ssh-keygen -y}: the public key line of a private key file; fails naming the file, never its content. */
    private static String derivePublicKey(Path privateKey) throws IOException {
        Process keygen = new ProcessBuilder(
                        Requirements.SSH_KEYGEN.toString(), "-y", "-P", "", "-f", privateKey.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            byte[] stdout = keygen.getInputStream().readAllBytes();
            byte[] stderr = keygen.getErrorStream().readAllBytes();
            if (!keygen.waitFor(KEYGEN_TIMEOUT_SECONDS, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new IOException("ssh-keygen -y could not read the host private key " + privateKey + ": "
                        + new String(stderr, StandardCharsets.UTF_8).strip());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deriving the public key of " + privateKey, e);
        } finally {
            keygen.destroyForcibly();
        }
    }

    /** The types of which {@code dir} holds a private key, in {@link #TYPES} order. */
    static List<String> present(Path dir) {
        return TYPES.stream().filter(type -> Files.isRegularFile(privateKey(dir, type))).toList();
    }

    /** Copies the key pairs of {@code types} from {@code from} to {@code to}, keeping their 0600/0644 modes. */
    static void copy(Path from, Path to, Collection<String> types) throws IOException {
        for (String type : types) {
            for (Path file : List.of(privateKey(from, type), publicKey(from, type))) {
                Files.copy(file, to.resolve(file.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /**
     * Renames the key pairs of {@code types} from {@code from} to {@code to}, each file atomically: sshd (which loads
     * its host keys for every connection) never sees a missing or half-written key.
     */
    static void move(Path from, Path to, Collection<String> types) throws IOException {
        for (String type : types) {
            for (Path file : List.of(privateKey(from, type), publicKey(from, type))) {
                Files.move(file, to.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
