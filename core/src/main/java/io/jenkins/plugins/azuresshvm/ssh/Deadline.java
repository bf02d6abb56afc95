package io.jenkins.plugins.azuresshvm.ssh;

import java.time.Duration;

/** One time budget shared by the steps of an operation (connect, key exchange, authentication). */
final class Deadline {
    private final Duration budget;
    private final long endNanos;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /**
     * A deadline {@code budget} from now.
     *
     * @throws IllegalArgumentException when the budget is zero or negative
     */
    static Deadline after(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + budget);
        }
        return new Deadline(budget);
    }

    /** The time left, never negative. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** The whole budget, for messages. */
    Duration budget() {
        return budget;
    }
}
