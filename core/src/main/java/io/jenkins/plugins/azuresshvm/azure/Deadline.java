package io.jenkins.plugins.azuresshvm.azure;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** A point in time by which a whole operation must be done; each Azure call waits only for what is left. */
final class Deadline {
    private final Duration total;
    private final long endNanos;

    private Deadline(Duration total) {
        this.total = total;
        this.endNanos = System.nanoTime() + total.toNanos();
    }

    static Deadline after(Duration total) {
        if (total.isNegative() || total.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + total);
        }
        return new Deadline(total);
    }

    Duration total() {
        return total;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    boolean passed() {
        return remaining().isZero();
    }

    /**
     * The value of {@code call}, cancelled when the deadline passes.
     *
     * @throws AzureVmException naming {@code what} when the deadline passes first
     */
    <T> T await(Mono<T> call, String what) {
        return within(call, what).block();
    }

    /**
     * The value of the call {@code call} makes, any failure an {@link AzureVmException} naming {@code what}: see
     * {@link #named}.
     */
    <T> T call(Supplier<Mono<T>> call, String what) {
        return named(call, what).block();
    }

    /**
     * {@link #within} the call {@code call} makes; any other failure, in making the call too, becomes an {@link
     * AzureVmException} "{@code what} failed: " with ARM's code and message.
     */
    <T> Mono<T> named(Supplier<Mono<T>> call, String what) {
        return within(Mono.defer(call), what).onErrorMap(e -> !(e instanceof AzureVmException),
                e -> new AzureVmException(what + " failed: " + AzureErrors.describe(e), e));
    }

    /**
     * {@code call}, subscribed only while time is left and cancelled when the deadline passes; it then fails with an
     * {@link AzureVmException} naming {@code what}.
     */
    <T> Mono<T> within(Mono<T> call, String what) {
        return Mono.defer(() -> passed() ? Mono.error(expired(what))
                : call.timeout(remaining(), Mono.error(() -> expired(what))));
    }

    /**
     * Emits once after {@code pause}, or sooner when the deadline comes first; no thread waits meanwhile. The value
     * comes once the timer has completed, so that what it starts (another try) may end and cancel the pause at
     * once: a timer cancelled while its task still runs would interrupt its thread, which would then run others'
     * tasks interrupted.
     */
    Mono<Long> pause(Duration pause) {
        return Mono.defer(() -> Mono.delay(pause.compareTo(remaining()) < 0 ? pause : remaining())
                .then(Mono.just(0L)));
    }

    AzureVmException expired(String what) {
        return new AzureVmException(what + " did not finish within " + total.toSeconds() + " s");
    }
}
