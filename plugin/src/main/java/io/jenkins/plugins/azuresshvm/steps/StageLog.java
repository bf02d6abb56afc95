package io.jenkins.plugins.azuresshvm.steps;

import hudson.model.TaskListener;
import java.io.PrintStream;
import java.util.Locale;

/** Build log lines for a step's stages: each one when it starts, and when it ends with its duration. */
final class StageLog {
    private final PrintStream out;
    private final String prefix;
    private String stage;
    private long startNanos;

    StageLog(TaskListener listener, String stepName) {
        this.out = listener.getLogger();
        this.prefix = "[" + stepName + "] ";
    }

    /** Ends the current stage, if any, and starts {@code next}. */
    void start(String next) {
        end("done");
        stage = next;
        startNanos = System.nanoTime();
        out.println(prefix + next + " …");
    }

    void done() {
        end("done");
    }

    void failed() {
        end("FAILED");
    }

    void info(String line) {
        out.println(prefix + line);
    }

    private void end(String outcome) {
        if (stage != null) {
            out.println(prefix + stage + ": " + outcome + " in "
                    + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9));
            stage = null;
        }
    }
}
