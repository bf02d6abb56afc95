package io.jenkins.plugins.azuresshvm.emulator;

import java.time.Duration;

/**
 * How long the emulator's slow operations take, in either mode. {@link #azure()} has Azure's proportions;
 * {@link #scaled(double)} keeps them for faster runs.
 *
 * @param vmCreate from a VM's PUT until its create operation succeeds (PowerState/running)
 * @param vmBoot from then until the VM's sshd listens (run-command waits for it too)
 * @param runCommand from a run command's POST until its script starts
 */
public record Latencies(Duration vmCreate, Duration vmBoot, Duration runCommand) {

    public Latencies {
        for (Duration duration : new Duration[] {vmCreate, vmBoot, runCommand}) {
            if (duration == null || duration.isNegative()) {
                throw new IllegalArgumentException("latencies are zero or more, not " + duration);
            }
        }
    }

    /** Everything as fast as the machine allows: the default. */
    public static Latencies none() {
        return new Latencies(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** Typical of Azure: VM create 40 s, boot 30 s more until sshd answers, run-command 25 s. */
    public static Latencies azure() {
        return new Latencies(Duration.ofSeconds(40), Duration.ofSeconds(30), Duration.ofSeconds(25));
    }

    /** Each latency times {@code factor} (e.g. 0.1: create 4 s, boot 3 s, run-command 2.5 s). */
    public Latencies scaled(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a latency scale is a finite number ≥ 0, not " + factor);
        }
        return new Latencies(scale(vmCreate, factor), scale(vmBoot, factor), scale(runCommand, factor));
    }

    private static Duration scale(Duration duration, double factor) {
        return Duration.ofNanos(Math.round(duration.toNanos() * factor));
    }
}
