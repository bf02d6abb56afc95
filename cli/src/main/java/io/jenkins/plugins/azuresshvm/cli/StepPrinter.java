package io.jenkins.plugins.azuresshvm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** Progress on stderr: {@code [n/N] what … done in 1.2 s}, one line per step. */
final class StepPrinter {
    private final PrintWriter err;
    private final int total;
    private int number;
    private long started;
    private boolean open;

    StepPrinter(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    /** Ends the running step (if any) and starts the next. */
    void start(String what) {
        done();
        number++;
        started = System.nanoTime();
        err.print("[" + number + "/" + total + "] " + what + " … ");
        err.flush();
        open = true;
    }

    /** Ends the running step as done, with its duration. */
    void done() {
        finish("done in " + seconds(Duration.ofNanos(System.nanoTime() - started)));
    }

    /** Ends the running step as failed. */
    void failed() {
        finish("FAILED after " + seconds(Duration.ofNanos(System.nanoTime() - started)));
    }

    private void finish(String outcome) {
        if (open) {
            err.println(outcome);
            err.flush();
            open = false;
        }
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
