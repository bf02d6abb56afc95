package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Spec → provisioned VM → host keys probed through run-command, then its SSH port awaited, so run-command sits on
 * the critical path at most once — or not at all with pre-seeded host keys, which run-command then cross-checks in
 * the background ({@link HostKeyCrossCheck}). With {@link VmSpec#jit()}, SSH access is requested through the VM's
 * just-in-time policy before anything connects to its SSH port. Any failure, a failed cross-check included, deletes
 * what was created, unless the spec asks to keep it. A launch runs on the caller's thread; only a cross-check runs on
 * another, one per VM in flight, so concurrent launches never wait for each other.
 */
public final class VerifiedVmLauncher {
    /** How long deleting a VM after a failed launch may take (its retries are bounded by {@link ArmRetries}). */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(15);
    /** Daemon threads, made as cross-checks start and ended after a minute idle. */
    private static final Executor CROSS_CHECKS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "host-key-cross-check-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final AzureVmProvisioner provisioner;
    private final RunCommandHostKeyProbe probe;
    private final Executor crossChecks;

    /** Cross-checks on daemon threads of the launcher's own, one per pre-seeded VM being cross-checked. */
    public VerifiedVmLauncher(AzureVmProvisioner provisioner, RunCommandHostKeyProbe probe) {
        this(provisioner, probe, CROSS_CHECKS);
    }

    /**
     * @param crossChecks runs each pre-seeded VM's cross-check (a blocking run-command, seconds to minutes on
     *     Azure); one that queues them delays the detection of a disagreement, never a launch
     */
    public VerifiedVmLauncher(AzureVmProvisioner provisioner, RunCommandHostKeyProbe probe, Executor crossChecks) {
        this.provisioner = provisioner;
        this.probe = probe;
        this.crossChecks = crossChecks;
    }

    /** The steps, as they start: {@link Step#PROVISION}, then {@link Step#PROBE}. */
    public enum Step {
        PROVISION,
        PROBE
    }

    /**
     * Creates the VM and learns its host keys.
     *
     * @param progress told when each step starts
     * @throws HostKeyProbeException when the host keys cannot be learned safely (the VM is deleted; what could
     *     not be, is a suppressed {@link AzureVmException})
     * @throws ProvisioningException naming the failed step and what was deleted or is left, by resource id
     */
    public VerifiedVm launch(VmSpec spec, Duration timeout, Consumer<Step> progress) throws HostKeyProbeException {
        Instant deadline = Instant.now().plus(timeout);
        progress.accept(Step.PROVISION);
        ProvisionedVm vm = provisioner.provision(spec, timeout);
        String step = "probing the host keys of VM " + vm.name() + " through run-command";
        try {
            progress.accept(Step.PROBE);
            PreseededHostKeys seeded = spec.preseededHostKeys();
            if (seeded == null) {
                // run-command answers once the VM agent is ready, after boot, when sshd usually listens already:
                // waiting for the port afterwards ends when waiting alongside would, and needs no thread of its own
                ExpectedHostKeys keys = probe.probe(vm, remaining(deadline, timeout, step));
                step = "requesting just-in-time SSH access to VM " + vm.name();
                requestJitAccess(spec, vm, deadline, timeout);
                step = "waiting for the SSH port of VM " + vm.name();
                awaitSshPort(vm, deadline);
                return new VerifiedVm(vm, keys, HostKeyCrossCheck.done(keys));
            }
            CompletableFuture<ExpectedHostKeys> checked = CompletableFuture.supplyAsync(() -> {
                try {
                    return agreeing(seeded, probe.probe(vm, remaining(deadline, timeout,
                            "cross-checking the host keys of VM " + vm.name())), vm);
                } catch (HostKeyProbeException e) {
                    throw new CompletionException(e);
                }
            }, crossChecks);
            CompletableFuture<ExpectedHostKeys> settled = spec.keepOnFailure() ? checked
                    : checked.whenComplete((keys, failure) -> {
                        if (failure != null) {
                            provisioner.delete(vm, CLEANUP_TIMEOUT);
                        }
                    });
            step = "requesting just-in-time SSH access to VM " + vm.name();
            requestJitAccess(spec, vm, deadline, timeout);
            step = "waiting for the SSH port of VM " + vm.name();
            awaitSshPort(vm, deadline);
            return new VerifiedVm(vm, seeded.expected(vm.name()), HostKeyCrossCheck.running(checked, settled));
        } catch (HostKeyProbeException | RuntimeException e) {
            if (spec.keepOnFailure()) {
                throw e;
            }
            ResourceCleanup.Outcome outcome = provisioner.deleteReporting(vm, CLEANUP_TIMEOUT);
            if (e instanceof RuntimeException failure) {
                throw new ProvisioningException(vm.name(), step, failure, outcome.deleted(), outcome.left(), false);
            }
            if (!outcome.left().isEmpty()) {
                e.addSuppressed(new AzureVmException("deleting VM " + vm.name() + ": " + outcome));
            }
            throw e;
        }
    }

    /** Opens the SSH port through the VM's just-in-time policy, if it has one of ours. */
    private void requestJitAccess(VmSpec spec, ProvisionedVm vm, Instant deadline, Duration timeout) {
        if (vm.jitPolicyId() != null) {
            provisioner.requestSshAccess(vm, spec.sshSource(),
                    remaining(deadline, timeout, "requesting just-in-time SSH access to VM " + vm.name()));
        }
    }

    private static ExpectedHostKeys agreeing(PreseededHostKeys seeded, ExpectedHostKeys reported, ProvisionedVm vm) {
        if (!seeded.sameAs(reported)) {
            throw new CompletionException(new HostKeyDisagreementException("run-command on VM " + vm.name()
                    + " reports host keys " + describe(reported) + ", not those pre-seeded in its customData "
                    + describe(seeded.expected(vm.name())) + ": someone else holds the keys this VM was meant to"
                    + " have; treat it as an attack"));
        }
        return reported;
    }

    private static String describe(ExpectedHostKeys keys) {
        return keys.keys().stream().map(key -> key.type().label() + " " + key.fingerprint()).toList().toString();
    }

    /** Waits until the VM's SSH port accepts TCP connections (sshd is up), within the deadline. */
    private static void awaitSshPort(ProvisionedVm vm, Instant deadline) {
        InetSocketAddress address = new InetSocketAddress(vm.host(), vm.sshPort());
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 2_000);
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AzureVmException("SSH port " + vm.host() + ":" + vm.sshPort() + " of VM " + vm.name()
                            + " did not open in time");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AzureVmException("interrupted while waiting for SSH on VM " + vm.name(), e);
                }
            }
        }
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
