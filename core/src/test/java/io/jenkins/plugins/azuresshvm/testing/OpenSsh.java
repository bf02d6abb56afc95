package io.jenkins.plugins.azuresshvm.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real OpenSSH programs tests run against. A missing program skips the test locally, with the reason shown, and
 * fails it when {@code CI=true}: CI must install openssh-client and openssh-server.
 */
public final class OpenSsh {
    private OpenSsh() {}

    /** The output of a finished program. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** This result, after checking the program succeeded. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                fail("exit code " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    /** {@code ssh-keygen}. */
    public static Path sshKeygen() {
        return require("ssh-keygen", "openssh-client");
    }

    /** {@code ssh}. */
    public static Path ssh() {
        return require("ssh", "openssh-client");
    }

    /** {@code ssh-keyscan}. */
    public static Path sshKeyscan() {
        return require("ssh-keyscan", "openssh-client");
    }

    /** {@code ssh-agent}. */
    public static Path sshAgent() {
        return require("ssh-agent", "openssh-client");
    }

    /** {@code sshd}, which must be started by absolute path. */
    public static Path sshd() {
        return require("sshd", "openssh-server");
    }

    /** Whether tests must run rather than skip (CI). */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test locally, fails it on CI, with {@code reason}. */
    public static void skipOrFail(String reason) {
        if (onCi()) {
            fail(reason + " (CI=true: this test must run)");
        }
        Assumptions.abort(reason);
    }

    /** Runs a program to completion (60 s at most) and returns its output. */
    public static Result run(List<String> command, Map<String, String> environment, String stdin, Path directory) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            var stdout = process.getInputStream();
            var stderr = process.getErrorStream();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread reader = new Thread(() -> {
                try {
                    err.complete(new String(stderr.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            reader.start();
            String out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot run " + command, e);
        }
    }

    /** Runs a program with arguments. */
    public static Result run(Path program, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(arguments));
        return run(command, Map.of(), null, null);
    }

    static Path require(String name, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        skipOrFail(name + " is not installed (Debian package " + debianPackage + ")");
        throw new IllegalStateException("unreachable");
    }
}
