package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.TimeoutPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How hard we try against ARM, bounded everywhere. Each request is retried at most {@code maxRetries} times on 408,
 * 429, 5xx (but 501/505), a dropped connection or no answer within {@code responseTimeout}; the pause is the
 * answer's {@code Retry-After} when it has one, else exponential from {@code baseDelay} up to {@code maxDelay}. A
 * clean-up delete whose operation ends {@code Failed} is tried again as often, with the same pauses. Every wait
 * also ends at the caller's deadline.
 *
 * @param maxRetries retries of one request (and of one clean-up delete) after its first try
 * @param baseDelay the first pause without {@code Retry-After}
 * @param maxDelay the longest pause without {@code Retry-After}
 * @param responseTimeout how long one try waits for an answer before it counts as failed (a hung request)
 */
public record ArmRetries(int maxRetries, Duration baseDelay, Duration maxDelay, Duration responseTimeout) {

    public ArmRetries {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, not " + maxRetries);
        }
        positive(baseDelay, "baseDelay");
        positive(maxDelay, "maxDelay");
        positive(responseTimeout, "responseTimeout");
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than baseDelay " + baseDelay);
        }
    }

    /** 4 retries, pauses from 1 s up to 30 s, 60 s for an answer (ARM answers PUTs in seconds, long work polls). */
    public static ArmRetries defaults() {
        return new ArmRetries(4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /** The pause before retry number {@code retry} (1-based) when ARM gave no {@code Retry-After}. */
    Duration pause(int retry) {
        long millis = baseDelay.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    /** The SDK's retry policy, honouring {@code Retry-After} in seconds as its default one does. */
    RetryPolicy retryPolicy() {
        return new RetryPolicy(new ExponentialBackoff(maxRetries, baseDelay, maxDelay), "Retry-After",
                ChronoUnit.SECONDS);
    }

    /** Per try (after the retry policy in the pipeline): a try without an answer in time fails and is retried. */
    TimeoutPolicy responseTimeoutPolicy() {
        return new TimeoutPolicy(responseTimeout);
    }

    private static void positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
    }
}
