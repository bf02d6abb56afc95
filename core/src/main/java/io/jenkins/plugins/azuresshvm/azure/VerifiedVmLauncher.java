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
import java.util.function.Consumer;

/**
 * Spec → provisioned VM → host keys probed through run-command, in parallel with waiting for its SSH port, so
 * run-command sits on the critical path at most once — or not at all with pre-seeded host keys, which run-command
 * then cross-checks in the background ({@link HostKeyCrossCheck}). With {@link VmSpec#jit()}, SSH access is requested
 * through the VM's just-in-time policy before the first connection to its SSH port. Any failure, a failed cross-check included,
 * deletes what was created, unless the spec asks to keep it.
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
            CompletableFuture<ExpectedHostKeys> probed = CompletableFuture.supplyAsync(() -> {
                try {
                    return probe.probe(vm, remaining(deadline, timeout, "probing the host keys of VM " + vm.name()));
                } catch (HostKeyProbeException e) {
                    throw new CompletionException(e);
                }
            });
            if (vm.jitPolicyId() != null) {
                provisioner.requestSshAccess(vm, spec.sshSource(),
                        remaining(deadline, timeout, "requesting just-in-time SSH access to VM " + vm.name()));
            }
            PreseededHostKeys seeded = spec.preseededHostKeys();
            if (seeded == null) {
                step = "waiting for the SSH port of VM " + vm.name();
                awaitSshPort(vm, deadline);
                step = "probing the host keys of VM " + vm.name() + " through run-command";
                ExpectedHostKeys keys = HostKeyCrossCheck.running(probed, probed).await(timeout);
                return new VerifiedVm(vm, keys, HostKeyCrossCheck.done(keys));
            }
            CompletableFuture<ExpectedHostKeys> checked = probed.thenApply(reported -> agreeing(seeded, reported, vm));
            CompletableFuture<ExpectedHostKeys> settled = spec.keepOnFailure() ? checked
                    : checked.whenComplete((keys, failure) -> {
                        if (failure != null) {
                            provisioner.delete(vm, CLEANUP_TIMEOUT);
                        }
                    });
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
