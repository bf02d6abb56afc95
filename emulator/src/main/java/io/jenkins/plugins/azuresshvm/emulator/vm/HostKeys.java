package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** SSH host key files as a fresh Ubuntu image has them: {@code ssh_host_<type>_key} and {@code .pub}, made by ssh-keygen. */
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
        Map<String, Process> keygens = new LinkedHashMap<>();
        try {
            for (String type : types) {
                Files.deleteIfExists(privateKey(dir, type));
                Files.deleteIfExists(publicKey(dir, type));
                List<String> command = new ArrayList<>(List.of(
                        Requirements.SSH_KEYGEN.toString(), "-q", "-t", type, "-N", "", "-C", comment,
                        "-f", privateKey(dir, type).toString()));
                if (type.equals("rsa")) {
                    command.addAll(List.of("-b", "3072"));
                }
                keygens.put(type, new ProcessBuilder(command).redirectErrorStream(true).start());
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
            keygens.values().forEach(Process::destroyForcibly);
        }
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
