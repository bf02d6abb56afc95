package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Run-command's confirmation of the host keys a VM was verified with before it (pre-seeded keys), running in the
 * background while the caller already connects. It fails when run-command reports other keys
 * ({@link io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException}) or cannot report at all; then every
 * connection handed to {@link #closeOnFailure} is closed and every action handed to {@link #onFailure} runs, on
 * threads of the check's own (never on the one that ended the check, which goes on to delete the VM). Keys that
 * run-command itself reported need no check.
 */
public final class HostKeyCrossCheck {
    /** Runs the actions after a failed check: they may block without holding up the VM's deletion. */
    private static final Executor ON_FAILURE = Executors.newCachedThreadPool(new Threads());

    private final CompletableFuture<ExpectedHostKeys> reported;
    private final CompletableFuture<ExpectedHostKeys> settled;

    private HostKeyCrossCheck(CompletableFuture<ExpectedHostKeys> reported,
            CompletableFuture<ExpectedHostKeys> settled) {
        this.reported = reported;
        this.settled = settled;
    }

    /** Nothing to check: the keys came from run-command. */
    static HostKeyCrossCheck done(ExpectedHostKeys probed) {
        CompletableFuture<ExpectedHostKeys> done = CompletableFuture.completedFuture(probed);
        return new HostKeyCrossCheck(done, done);
    }

    /**
     * The check that {@code reported} completes, exceptionally on a disagreement or a failed probe; {@code settled}
     * completes as it does once what follows a failure (deleting the VM) is over.
     */
    static HostKeyCrossCheck running(CompletableFuture<ExpectedHostKeys> reported,
            CompletableFuture<ExpectedHostKeys> settled) {
        return new HostKeyCrossCheck(reported, settled);
    }

    /** Whether it has finished, either way. */
    public boolean isDone() {
        return reported.isDone();
    }

    /** Whether it has already ended in failure. */
    public boolean failed() {
        return reported.isCompletedExceptionally();
    }

    /**
     * Runs {@code action} with the failure ({@link HostKeyProbeException}, its subclass
     * {@link io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException}, or a {@link RuntimeException}) as
     * soon as the check fails, at once if it already has, on a thread of the check's own.
     */
    public void onFailure(Consumer<Throwable> action) {
        reported.whenCompleteAsync((keys, failure) -> {
            if (failure != null) {
                action.accept(failure instanceof CompletionException ? failure.getCause() : failure);
            }
        }, ON_FAILURE);
    }

    /** Closes {@code connection} as soon as the check fails, as {@link #onFailure} does. */
    public void closeOnFailure(AutoCloseable connection) {
        onFailure(failure -> {
            try {
                connection.close();
            } catch (Exception ignored) {
                // closing is all we can do; the failure itself reaches the caller through await
            }
        });
    }

    /**
     * Waits for the check and, when it failed, for the VM's deletion (unless the caller asked to keep it), so a caller
     * that exits next leaves nothing behind.
     *
     * @return the keys run-command reported
     * @throws HostKeyProbeException on a disagreement or when run-command could not report the keys
     */
    public ExpectedHostKeys await(Duration timeout) throws HostKeyProbeException {
        try {
            return settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AzureVmException("interrupted while cross-checking host keys", e);
        } catch (TimeoutException e) {
            throw new HostKeyProbeException("the run-command cross-check of the host keys did not finish within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof HostKeyProbeException probeFailure) {
                throw probeFailure;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AzureVmException("host key cross-check failed", cause);
        }
    }

    /** Daemon threads named for what they run. */
    private static final class Threads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "host-key-cross-check-failure-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
