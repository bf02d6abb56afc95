package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after a JVM that died without closing its {@link SshdVmRuntime}, even by SIGKILL: a {@code /bin/sh} in
 * its own session reads watched PIDs from a pipe this JVM holds; when the pipe closes (this JVM exited or called
 * {@link #close()}), it SIGKILLs the watched processes that are still ours (their command line names the work
 * directory, so a recycled PID is left alone), deletes the work directory and exits.
 */
final class Watchdog implements AutoCloseable {

    /** {@code +PID} watches, {@code -PID} unwatches; $1 is the work directory. */
    private static final String SCRIPT = """
            dir=$1
            pids=' '
            while IFS= read -r line; do
              case $line in
                +*) pids="$pids${line#+} " ;;
                -*) case $pids in *" ${line#-} "*) pids="${pids%% ${line#-} *} ${pids#* ${line#-} }" ;; esac ;;
              esac
            done
            for pid in $pids; do
              grep -qaF -- "$dir" "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid"
            done
            rm -rf -- "$dir"
            """;

    private final Process process;
    private final OutputStream pids;

    private Watchdog(Process process) {
        this.process = process;
        this.pids = process.getOutputStream();
    }

    /** Starts a watchdog that deletes {@code workDir} once this JVM is gone. */
    static Watchdog start(Path workDir) throws IOException {
        Process process = new ProcessBuilder(
                        Requirements.SETSID.toString(), "/bin/sh", "-c", SCRIPT, "watchdog", workDir.toString())
                .directory(Path.of("/").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new Watchdog(process);
    }

    /** From now on, the process {@code pid} is SIGKILLed if this JVM dies. */
    void watch(long pid) throws IOException {
        send("+" + pid);
    }

    /** Forgets {@code pid} (call once the process has ended, so a recycled PID is not killed). */
    void unwatch(long pid) throws IOException {
        send("-" + pid);
    }

    private synchronized void send(String line) throws IOException {
        try {
            pids.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pids.flush();
        } catch (IOException e) {
            throw new IOException("The VM emulator's watchdog (PID " + process.pid() + ") is gone; "
                    + "VM processes would outlive a crashed JVM", e);
        }
    }

    /** Lets the watchdog run its cleanup now (the caller has already stopped everything) and waits for it. */
    @Override
    public synchronized void close() {
        try {
            pids.close();
        } catch (IOException e) {
            // already gone: nothing to stop
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
