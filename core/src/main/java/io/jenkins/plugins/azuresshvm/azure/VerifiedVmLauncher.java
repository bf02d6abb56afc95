package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Spec → provisioned VM → host keys probed through run-command, then its SSH port awaited, so run-command sits on
 * the critical path at most once — or not at all with pre-seeded host keys, which run-command then cross-checks in
 * the background ({@link HostKeyCrossCheck}); a cross-check that fails before the SSH port opens fails the launch.
 * With {@link VmSpec#jit()}, SSH access is requested through the VM's just-in-time policy before anything connects to
 * its SSH port. Any failure, a failed cross-check included, deletes
 * what was created, unless the spec asks to keep it. A launch is one chain of asynchronous steps: no thread waits for
 * a VM in flight, so one thread can start many launches ({@link #launchAsync}) and they never wait for each other.
 */
public final class VerifiedVmLauncher {
    /** How long deleting a VM after a failed launch may take (its retries are bounded by {@link ArmRetries}). */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(15);

    private final AzureVmProvisioner provisioner;
    private final RunCommandHostKeyProbe probe;

    public VerifiedVmLauncher(AzureVmProvisioner provisioner, RunCommandHostKeyProbe probe) {
        this.provisioner = provisioner;
        this.probe = probe;
    }

    /** The steps, as they start: {@link Step#PROVISION}, then {@link Step#PROBE}. */
    public enum Step {
        PROVISION,
        PROBE
    }

    /**
     * Creates the VM and learns its host keys, on the caller's thread until done.
     *
     * @param progress told when each step starts
     * @throws HostKeyProbeException when the host keys cannot be learned safely (the VM is deleted; what could
     *     not be, is a suppressed {@link AzureVmException})
     * @throws ProvisioningException naming the failed step and what was deleted or is left, by resource id
     * @throws AzureVmException when interrupted: what the launch created so far is then deleted in the background,
     *     unless the spec asks to keep it
     */
    public VerifiedVm launch(VmSpec spec, Duration timeout, Consumer<Step> progress) throws HostKeyProbeException {
        CompletableFuture<VerifiedVm> launch = launchAsync(spec, timeout, progress);
        try {
            return launch.get();
        } catch (InterruptedException e) {
            launch.cancel(false);
            Thread.currentThread().interrupt();
            throw new AzureVmException("interrupted while launching VM " + spec.name(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HostKeyProbeException untrustworthy) {
                throw untrustworthy;
            }
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new AzureVmException("launching VM " + spec.name() + " failed", cause);
        }
    }

    /**
     * {@link #launch} without a thread waiting for it: it starts at once and the future completes with the VM, or
     * exceptionally with what {@code launch} throws, once the clean-up after a failure is over. Cancelling the future
     * ends the launch and deletes what it created so far in the background, unless the spec asks to keep it.
     *
     * @param progress told when each step starts, on the thread that starts it (the caller's for the first, else
     *     one of the HTTP client's or Reactor's): it must not block
     */
    public CompletableFuture<VerifiedVm> launchAsync(VmSpec spec, Duration timeout, Consumer<Step> progress) {
        return Mono.defer(() -> {
            Instant deadline = Instant.now().plus(timeout);
            progress.accept(Step.PROVISION);
            return provisioner.provisioning(spec, timeout)
                    .flatMap(vm -> verifying(spec, vm, deadline, timeout, progress));
        }).toFuture();
    }

    /** The host keys of the provisioned {@code vm}, its just-in-time access and its open SSH port. */
    private Mono<VerifiedVm> verifying(VmSpec spec, ProvisionedVm vm, Instant deadline, Duration timeout,
            Consumer<Step> progress) {
        AtomicReference<String> step = new AtomicReference<>("probing the host keys of VM " + vm.name()
                + " through run-command");
        Mono<VerifiedVm> verified = Mono.defer(() -> {
            progress.accept(Step.PROBE);
            PreseededHostKeys seeded = spec.preseededHostKeys();
            if (seeded == null) {
                // run-command answers once the VM agent is ready, after boot, when sshd usually listens already:
                // waiting for the port afterwards ends when waiting alongside would
                return probe.probing(vm, remaining(deadline, timeout, step.get()))
                        .flatMap(keys -> reachable(spec, vm, deadline, timeout, step)
                                .thenReturn(new VerifiedVm(vm, keys, HostKeyCrossCheck.done(keys))));
            }
            // one probe; the launch fails when it fails before the SSH port opens, else the check goes on
            CompletableFuture<ExpectedHostKeys> reported = new CompletableFuture<>();
            Disposable checking = Mono.defer(() -> probe.probing(vm, remaining(deadline, timeout,
                    "cross-checking the host keys of VM " + vm.name())))
                    .flatMap(keys -> agreeing(seeded, keys, vm))
                    .subscribe(reported::complete, reported::completeExceptionally);
            Mono<Void> failedCheck = Mono.fromFuture(reported, true).then(Mono.<Void>never())
                    .doOnError(failure -> step.set("cross-checking the host keys of VM " + vm.name()));
            return Mono.firstWithSignal(reachable(spec, vm, deadline, timeout, step), failedCheck)
                    .then(Mono.defer(() -> reported.isCompletedExceptionally() ? failedCheck : Mono.empty()))
                    .then(Mono.fromSupplier(() -> new VerifiedVm(vm, seeded.expected(vm.name()),
                            HostKeyCrossCheck.running(reported, settling(spec, vm, reported)))))
                    .doOnError(failure -> checking.dispose())
                    .doOnCancel(checking::dispose);
        });
        if (spec.keepOnFailure()) {
            return verified;
        }
        // Throwable: an Error must not skip the deletion either (it is rethrown afterwards)
        return verified.onErrorResume(e -> provisioner.deleting(vm, CLEANUP_TIMEOUT)
                .flatMap(outcome -> {
                    if (e instanceof RuntimeException failure) {
                        return Mono.error(new ProvisioningException(vm.name(), step.get(), failure,
                                outcome.deleted(), outcome.left(), false));
                    }
                    if (!outcome.left().isEmpty()) {
                        e.addSuppressed(new AzureVmException("deleting VM " + vm.name() + ": " + outcome));
                    }
                    return Mono.error(e);
                }))
                .doOnCancel(() -> provisioner.deleting(vm, CLEANUP_TIMEOUT).subscribe(
                        outcome -> outcome.log("the launch of VM " + vm.name() + " was cancelled")));
    }

    /**
     * The cross-check of a launched VM, which once failed deletes the VM (unless the spec asks to keep it) before it
     * completes as the check did.
     */
    private CompletableFuture<ExpectedHostKeys> settling(VmSpec spec, ProvisionedVm vm,
            CompletableFuture<ExpectedHostKeys> reported) {
        if (spec.keepOnFailure()) {
            return reported;
        }
        return Mono.fromFuture(reported, true).onErrorResume(failure -> provisioner.deleting(vm, CLEANUP_TIMEOUT)
                .flatMap(outcome -> {
                    if (!outcome.left().isEmpty()) {
                        failure.addSuppressed(new AzureVmException("deleting VM " + vm.name() + ": " + outcome));
                    }
                    return Mono.error(failure);
                })).toFuture();
    }

    /** Just-in-time access to the VM's SSH port when it has a policy of ours, then the port open. */
    private Mono<Void> reachable(VmSpec spec, ProvisionedVm vm, Instant deadline, Duration timeout,
            AtomicReference<String> step) {
        return Mono.defer(() -> {
            step.set("requesting just-in-time SSH access to VM " + vm.name());
            return vm.jitPolicyId() == null ? Mono.<Void>empty()
                    : provisioner.requestingSshAccess(vm, spec.sshSource(), remaining(deadline, timeout, step.get()));
        }).then(Mono.defer(() -> {
            step.set("waiting for the SSH port of VM " + vm.name());
            return SshPortWait.until(vm, deadline);
        }));
    }

    private static Mono<ExpectedHostKeys> agreeing(PreseededHostKeys seeded, ExpectedHostKeys reported,
            ProvisionedVm vm) {
        if (!seeded.sameAs(reported)) {
            return Mono.error(new HostKeyDisagreementException("run-command on VM " + vm.name()
                    + " reports host keys " + describe(reported) + ", not those pre-seeded in its customData "
                    + describe(seeded.expected(vm.name())) + ": someone else holds the keys this VM was meant to"
                    + " have; treat it as an attack"));
        }
        return Mono.just(reported);
    }

    private static String describe(ExpectedHostKeys keys) {
        return keys.keys().stream().map(key -> key.type().label() + " " + key.fingerprint()).toList().toString();
    }

    /** The time left before {@code deadline}; none left is an error naming the launch timeout and the step. */
    private static Duration remaining(Instant deadline, Duration timeout, String step) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AzureVmException("the launch timeout of " + timeout.toSeconds() + " s ran out before " + step);
        }
        return left;
    }
}
