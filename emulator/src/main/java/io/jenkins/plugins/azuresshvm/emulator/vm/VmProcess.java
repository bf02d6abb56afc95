package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run "inside" a VM: it is the init of its own PID namespace, so killing it ends every process it started,
 * including ones that called {@code setsid}; and it has its own mount namespace in which the VM's {@code etc/ssh}
 * is bind-mounted on {@code /etc/ssh}. While it runs, the {@link Watchdog} kills it should this JVM die.
 */
final class VmProcess {

    /** Run by {@code sh -c} with $0 = the VM's etc/ssh and "$@" = the command. */
    private static final String MOUNT_AND_EXEC = Requirements.MOUNT + " --bind \"$0\" /etc/ssh && exec \"$@\"";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String description;
    private final Process unshare;
    private final ProcessHandle init;
    private final Watchdog watchdog;
    private boolean watched = true;

    private VmProcess(String description, Process unshare, ProcessHandle init, Watchdog watchdog) {
        this.description = description;
        this.unshare = unshare;
        this.init = init;
        this.watchdog = watchdog;
    }

    /**
     * Starts {@code builder}'s command (with its environment, directory and redirects) in new namespaces. Prefixes the
     * builder's command with the {@code unshare} call.
     *
     * @param description names the process in error messages, e.g. "sshd of VM vm1"
     */
    static VmProcess start(String description, Path etcSsh, ProcessBuilder builder, Watchdog watchdog)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Requirements.UNSHARE.toString(), "--pid", "--fork", "--kill-child", "--mount", "--propagation",
                "private", "/bin/sh", "-c", MOUNT_AND_EXEC, etcSsh.toString()));
        command.addAll(builder.command());
        Process unshare = builder.command(command).start();
        try {
            watchdog.watch(unshare.pid());
            ProcessHandle init = awaitInit(description, unshare);
            if (init != null) {
                watchdog.watch(init.pid());
            }
            return new VmProcess(description, unshare, init, watchdog);
        } catch (IOException | RuntimeException e) {
            unshare.destroyForcibly();
            throw e;
        }
    }

    /** The command, the namespace's init; {@code null} when it already ran to its end (a quick script). */
    private static ProcessHandle awaitInit(String description, Process unshare) throws IOException {
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            var child = unshare.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            if (!unshare.isAlive()) {
                return null;
            }
            sleep(1);
        }
        throw new IOException(description + ": unshare did not start it within " + STOP_TIMEOUT.toSeconds() + " s");
    }

    /** The command's standard output, when its builder redirected it to a pipe. */
    InputStream output() {
        return unshare.getInputStream();
    }

    /** The PID (as this JVM sees it) of the command, the namespace's init; -1 when it already ended. */
    long pid() {
        return init == null ? -1 : init.pid();
    }

    boolean isAlive() {
        return unshare.isAlive();
    }

    /** Waits for the command to end; {@code false} at the timeout. */
    boolean waitFor(Duration timeout) throws IOException {
        try {
            if (!unshare.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(description + ": interrupted", e);
        }
        forget();
        return true;
    }

    /** The command's exit code, once it ended. */
    int exitCode() {
        return unshare.exitValue();
    }

    /** SIGKILLs the command and so every process in its namespace; returns once they are all gone. */
    void kill() throws IOException {
        if (!unshare.isAlive()) {
            waitFor(Duration.ZERO);
            return;
        }
        init.destroyForcibly();
        if (!waitFor(STOP_TIMEOUT)) {
            unshare.destroyForcibly();
            throw new IOException(description + " (PID " + init.pid() + ") did not end within "
                    + STOP_TIMEOUT.toSeconds() + " s of SIGKILL");
        }
    }

    private synchronized void forget() throws IOException {
        if (!watched) {
            return;
        }
        watched = false;
        if (init != null) {
            watchdog.unwatch(init.pid());
        }
        watchdog.unwatch(unshare.pid());
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
