package io.jenkins.plugins.azuresshvm.emulator.vm;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Test helpers for the real machine: requirements, running tools, /proc. Public for EmulatorLifecycleTest. */
public final class Machine {

    private Machine() {}

    /** Skips the calling test when root/sshd/nss_wrapper/util-linux are missing, except on CI (env CI=true): fails. */
    public static void assumeVmRequirements() {
        List<String> missing = Requirements.missing();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "real OpenSSH VMs need: " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + " (CI=true: not skipping)");
        }
        Assumptions.abort(reason);
    }

    /** A finished command. */
    record Result(int exitCode, String stdout, String stderr) {}

    /** Runs a command with stdin from /dev/null; fails the test at the timeout. */
    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vm-test", ".out");
        Path err = Files.createTempFile("vm-test", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(Path.of("/dev/null").toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within %s", command, timeout);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(10), command);
    }

    /** {@code ssh} as the brief's strict client: only {@code key}, only the host keys in {@code knownHosts}. */
    static List<String> ssh(Path key, Path knownHosts, String userAtHost, String... remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=5", userAtHost));
        command.addAll(List.of(remoteCommand));
        return command;
    }

    /** Makes an Ed25519 key pair {@code dir/name} (+ .pub) and returns the private key file. */
    public static Path keyPair(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Result keygen = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
        if (keygen.exitCode() != 0) {
            fail("ssh-keygen: " + keygen.stderr());
        }
        return key;
    }

    /** PIDs of the processes whose command line contains {@code text}. */
    public static List<Long> processesMentioning(String text) throws IOException {
        return processes().stream().filter(pid -> cmdline(pid).contains(text)).toList();
    }

    /** PIDs of the processes in the PID namespace {@code namespace} (a {@code /proc/PID/ns/pid} link target). */
    public static List<Long> processesInPidNamespace(String namespace) throws IOException {
        return processes().stream().filter(pid -> namespace.equals(pidNamespace(pid))).toList();
    }

    /** The PID namespace of process {@code pid}, e.g. {@code pid:[4026532201]}; empty when it is gone. */
    public static String pidNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    public static String cmdline(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Long> processes() throws IOException {
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            return proc.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::valueOf)
                    .toList();
        }
    }
}
