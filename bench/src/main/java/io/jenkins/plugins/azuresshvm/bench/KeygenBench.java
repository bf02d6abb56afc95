package io.jenkins.plugins.azuresshvm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the key generation benchmarks with JMH, one benchmark at a time, and prints a summary: RSA-4096 medians and
 * their ratios to {@code ssh-keygen}, and Ed25519 keys per second on one thread. For each benchmark it also shows how
 * much of the machine's CPU other processes used meanwhile (from {@code /proc}), since that skews every figure.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar            # full run, about 4.5 minutes on 2 cores
 * java -Dquick -jar bench/target/benchmarks.jar    # smoke test, under a minute (also: --quick)
 * </pre>
 *
 * System properties: {@code bench.rsa.samples} and {@code bench.rsa.warmups} (RSA keys per variant),
 * {@code ssh.keygen} (the ssh-keygen to run).
 */
public final class KeygenBench {
    private static final double RSA_TARGET = 1.0;
    private static final double ED25519_TARGET = 5_000;
    private static final List<String> RSA_BENCHMARKS =
            List.of("oursAllCores", "oursOneThread", "jdk", "sshKeygen", "sshKeygenEd25519", "spawnTrue");
    private static final String ED25519_BENCHMARK = "generateEncodeFingerprint";

    private final Map<String, RunResult> results = new HashMap<>();
    private final Map<String, Double> foreignCpu = new HashMap<>();

    private KeygenBench() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = System.getProperty("quick") != null
                || List.of(args).contains("--quick") || List.of(args).contains("quick");
        int rsaWarmups = Integer.getInteger("bench.rsa.warmups", quick ? 1 : 3);
        int rsaSamples = Integer.getInteger("bench.rsa.samples", quick ? 5 : 40);

        System.out.println("# keygen benchmark" + (quick ? " (QUICK: too few samples for real figures)" : ""));
        System.out.println("# cores: " + Runtime.getRuntime().availableProcessors() + ", cpu: " + cpuModel());
        System.out.println("# java: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        System.out.println("# ssh: " + sshVersion());
        System.out.println("# RSA-4096: " + rsaWarmups + " warm-up + " + rsaSamples + " measured keys per variant");

        KeygenBench bench = new KeygenBench();
        for (String name : RSA_BENCHMARKS) {
            bench.run(name, new OptionsBuilder()
                    .include(Pattern.quote(RsaKeygenBenchmark.class.getName() + "." + name) + "$")
                    .forks(1)
                    .warmupIterations(rsaWarmups)
                    .measurementIterations(rsaSamples)
                    .timeout(TimeValue.minutes(5)));
        }
        bench.run(ED25519_BENCHMARK, new OptionsBuilder()
                .include(Pattern.quote(Ed25519Benchmark.class.getName() + "." + ED25519_BENCHMARK) + "$")
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2)));
        bench.summarize();
    }

    private void run(String name, ChainedOptionsBuilder options) throws RunnerException {
        CpuMeter meter = CpuMeter.start();
        for (RunResult result : new Runner(options.build()).run()) {
            results.put(name, result);
        }
        foreignCpu.put(name, meter.foreignShare());
    }

    private void summarize() {
        System.out.println();
        System.out.println("==== Summary ====");
        System.out.println("RSA-4096, one key per sample, milliseconds ('others' = share of all cores that other"
                + " processes used meanwhile):");
        System.out.printf(Locale.ROOT, "  %-40s %4s %9s %9s %9s %9s %9s %7s%n",
                "", "n", "median", "p10", "p90", "min", "max", "others");
        row("oursAllCores", "ours, all cores (" + Runtime.getRuntime().availableProcessors() + " threads)");
        row("oursOneThread", "ours, one thread");
        row("jdk", "JDK KeyPairGenerator RSA");
        row("sshKeygen", "ssh-keygen -t rsa -b 4096 (process)");
        row("sshKeygenEd25519", "ssh-keygen -t ed25519 (its fixed cost)");
        row("spawnTrue", "true (bare process spawn)");

        double ssh = median("sshKeygen");
        System.out.println("Ratios of medians (ssh-keygen times include its process spawn and start-up):");
        ratio("ours all cores / ssh-keygen", median("oursAllCores"), ssh, RSA_TARGET);
        ratio("ours one thread / ssh-keygen", median("oursOneThread"), ssh, Double.NaN);
        ratio("JDK / ssh-keygen", median("jdk"), ssh, Double.NaN);
        ratio("ours all cores / ours one thread", median("oursAllCores"), median("oursOneThread"), Double.NaN);

        System.out.println("Ed25519 generate + OpenSSH private key text + public line + SHA256 fingerprint, 1 thread:");
        RunResult ed = results.get(ED25519_BENCHMARK);
        if (ed == null) {
            System.out.println("  n/a (benchmark failed)");
        } else {
            double score = ed.getPrimaryResult().getScore();
            double error = ed.getPrimaryResult().getScoreError();
            System.out.printf(Locale.ROOT, "  %,.0f keys/s%s, %.1f µs/key, others %s  target ≥ %,.0f keys/s: %s%n",
                    score, Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %,.0f (99.9%% CI)", error),
                    1e6 / score, percent(foreignCpu.get(ED25519_BENCHMARK)), ED25519_TARGET,
                    score >= ED25519_TARGET ? "MET" : "MISSED");
        }
        double worst = foreignCpu.values().stream().filter(v -> !v.isNaN()).mapToDouble(v -> v).max().orElse(0);
        if (worst > 0.05) {
            System.out.printf(Locale.ROOT, "WARNING: other processes used up to %s of the CPU during a benchmark;"
                    + " run again on a quiet machine for figures to quote.%n", percent(worst));
        }
    }

    private void row(String name, String label) {
        RunResult result = results.get(name);
        if (result == null) {
            System.out.printf(Locale.ROOT, "  %-40s n/a (benchmark failed)%n", label);
            return;
        }
        Statistics s = result.getPrimaryResult().getStatistics();
        double scale = scale(result);
        System.out.printf(Locale.ROOT, "  %-40s %4d %9.1f %9.1f %9.1f %9.1f %9.1f %7s%n", label, s.getN(),
                s.getPercentile(50) * scale, s.getPercentile(10) * scale, s.getPercentile(90) * scale,
                s.getMin() * scale, s.getMax() * scale, percent(foreignCpu.get(name)));
    }

    private double median(String name) {
        RunResult result = results.get(name);
        return result == null ? Double.NaN : result.getPrimaryResult().getStatistics().getPercentile(50) * scale(result);
    }

    /** Factor from the result's unit to milliseconds. */
    private static double scale(RunResult result) {
        TimeUnit unit = result.getParams().getTimeUnit();
        return unit.toNanos(1) / 1e6;
    }

    private static void ratio(String label, double numerator, double denominator, double target) {
        double value = numerator / denominator;
        String verdict = Double.isNaN(target) || Double.isNaN(value) ? ""
                : String.format(Locale.ROOT, "  target ≤ %.1f: %s", target, value <= target ? "MET" : "MISSED");
        System.out.printf(Locale.ROOT, "  %-40s %6.2f%s%n", label, value, verdict);
    }

    private static String percent(Double share) {
        return share == null || share.isNaN() ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /**
     * CPU time of the whole machine ({@code /proc/stat}) against that of this JVM and its reaped children, which
     * include the JMH fork and the ssh-keygen processes it waited for ({@code /proc/self/stat}). Linux only; NaN
     * elsewhere.
     */
    private record CpuMeter(long machineBusy, long machineTotal, long ownTicks) {
        static CpuMeter start() {
            long[] machine = machine();
            return new CpuMeter(machine[0], machine[1], self());
        }

        /** The share of all cores' time that other processes used since {@link #start()}. */
        double foreignShare() {
            long[] machine = machine();
            long own = self();
            if (machine[1] <= machineTotal || own < 0 || ownTicks < 0) {
                return Double.NaN;
            }
            long foreign = (machine[0] - machineBusy) - (own - ownTicks);
            return Math.max(0, foreign) / (double) (machine[1] - machineTotal);
        }

        /** Busy and total clock ticks of all cores. */
        private static long[] machine() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                long idle = 0;
                for (int i = 1; i < Math.min(fields.length, 9); i++) { // user nice system idle iowait irq softirq steal
                    long value = Long.parseLong(fields[i]);
                    total += value;
                    if (i == 4 || i == 5) {
                        idle += value;
                    }
                }
                return new long[] {total - idle, total};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        /** utime + stime + cutime + cstime of this process, in clock ticks; -1 when unknown. */
        private static long self() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                // fields[0] is the state (field 3); utime..cstime are fields 14..17
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                        + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String sshVersion() {
        try {
            Process process = new ProcessBuilder("ssh", "-V").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return text;
        } catch (IOException e) {
            return "not found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
