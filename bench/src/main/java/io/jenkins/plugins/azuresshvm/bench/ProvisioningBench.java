package io.jenkins.plugins.azuresshvm.bench;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resources.models.GenericResource;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureClouds;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.FixedTokenCredential;
import io.jenkins.plugins.azuresshvm.azure.PreseededHostKeys;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.TrustingHttpClients;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.session.ClientSession;

/**
 * Wall-clock benchmark of verified provisioning against the ARM emulator in a JVM of its own (LRO mode, Azure's
 * latencies scaled, a host-key pool), from this one client JVM over HTTPS through core:
 * <ol>
 *   <li>provision + verified connect against provision + connect accepting any host key, for the run-command mode
 *       and the pre-seeded mode (medians of a few repeats, and their ratio);
 *   <li>many VMs launched at once from one thread ({@code launchAsync}) and verified: wall time against one VM, peak
 *       live threads and heap of this JVM, resources left after deleting them;
 *   <li>ARM requests per VM in each mode (counted by the client's HTTP client).
 * </ol>
 * Run as root (the emulator's VMs are sshd processes in namespaces); see docs/performance.md. System properties:
 * {@code bench.emulator.jar}, {@code bench.latency.scale} (0.25), {@code bench.host.key.pool} (60),
 * {@code bench.repeats} (3), {@code bench.concurrent} (50).
 */
public final class ProvisioningBench {
    private static final String GROUP = "rg-bench";
    private static final String REGION = "westeurope";
    private static final String ADMIN = "azureuser";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** The bench's threads for the blocking verified connections of scenario 2. */
    private static final int CONNECTORS = 4;

    private final AzureAccess azure;
    private final RequestCountingHttpClient http;
    private final AzureVmProvisioner provisioner;
    private final VerifiedVmLauncher launcher;
    private final VerifiedSshClient ssh = new VerifiedSshClient();
    private final UnverifiedSshConnector anyHostKey = new UnverifiedSshConnector();
    private final SshKeyGenerator generator = new SshKeyGenerator();
    private final SshKeyPair admin = generator.generate(KeyGenSpec.ed25519(), "bench");
    private int vmCount;
    /** Scenario 1's VMs, deleted only at its end: the emulator reuses a deleted VM's address for the next VM. */
    private final List<ProvisionedVm> kept = new ArrayList<>();
    private final List<Long> deleteRequests = new ArrayList<>();

    private ProvisioningBench(AzureAccess azure, RequestCountingHttpClient http) {
        this.azure = azure;
        this.http = http;
        // as the CLI builds them: core's defaults
        this.provisioner = new AzureVmProvisioner(azure);
        this.launcher = new VerifiedVmLauncher(provisioner, new RunCommandHostKeyProbe(new RunCommand(azure)));
    }

    /** How the host keys are learned. */
    enum Mode {
        RUN_COMMAND,
        PRESEEDED
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.emulator.jar", "emulator/target/azure-arm-emulator.jar"));
        String scale = System.getProperty("bench.latency.scale", "0.25");
        String pool = System.getProperty("bench.host.key.pool", "60");
        int repeats = Integer.getInteger("bench.repeats", 3);
        int concurrent = Integer.getInteger("bench.concurrent", 50);
        List<String> options = List.of("--lro", "--latency-scale", scale, "--host-key-pool", pool);

        System.out.println("# provisioning benchmark: emulator " + String.join(" ", options) + "; repeats " + repeats
                + ", concurrent " + concurrent);
        System.out.println("# cores: " + Runtime.getRuntime().availableProcessors() + ", java: "
                + System.getProperty("java.runtime.version") + ", load average at start: " + loadAverage());
        Path logDir = Files.createTempDirectory("provisioning-bench");
        try (EmulatorProcess emulator = EmulatorProcess.start(jar, options, logDir, Duration.ofMinutes(3))) {
            System.out.println("# emulator: " + emulator.endpoint() + " (log: " + logDir + ")");
            PrintStream requestLog = new PrintStream(Files.newOutputStream(logDir.resolve("requests.log")), true,
                    StandardCharsets.UTF_8);
            RequestCountingHttpClient http = new RequestCountingHttpClient(
                    TrustingHttpClients.jdkTrusting(emulator.caCertificate()), requestLog);
            AzureAccess azure = AzureAccess.of(new FixedTokenCredential("bench"), http, new AzureProfile(null,
                    emulator.subscriptionId(), AzureClouds.withArmEndpoint(emulator.endpoint())));
            ProvisioningBench bench = new ProvisioningBench(azure, http);
            try {
                bench.run(repeats, concurrent);
            } finally {
                bench.close();
            }
        }
        System.out.println("# load average at end: " + loadAverage());
    }

    private void run(int repeats, int concurrent) throws Exception {
        azure.resources().resourceGroups().define(GROUP).withRegion(REGION).create();
        List<Sample> samples = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            // rotate the order so that a slow phase of the machine does not always hit the same variant
            List<Runnable> variants = new ArrayList<>();
            for (Mode mode : Mode.values()) {
                variants.add(() -> samples.add(unchecked(() -> verified(mode))));
                variants.add(() -> samples.add(unchecked(() -> unverified(mode))));
            }
            for (int i = 0; i < variants.size(); i++) {
                variants.get((i + repeat) % variants.size()).run();
                Sample sample = samples.get(samples.size() - 1);
                System.out.printf(Locale.ROOT, "#   %s %s %.2f s, %d requests%n", sample.mode(),
                        sample.verified() ? "verified" : "unverified", sample.seconds(), sample.launchRequests());
            }
            System.out.println("# repeat " + (repeat + 1) + " done; load average " + loadAverage());
        }
        for (ProvisionedVm vm : kept) {
            deleteRequests.add(delete(vm));
        }
        awaitSshPortsClosed(kept);
        System.out.println();
        System.out.println("## 1. provision + connect, seconds (median of " + repeats + "), ARM requests per VM");
        System.out.println("| mode | verified | unverified | ratio | requests verified | unverified |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Mode mode : Mode.values()) {
            double verified = median(samples, mode, true, Sample::seconds);
            double unverified = median(samples, mode, false, Sample::seconds);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | **%.3f** | %.0f | %.0f |%n", mode, verified,
                    unverified, verified / unverified, median(samples, mode, true, Sample::launchRequests),
                    median(samples, mode, false, Sample::launchRequests));
        }
        System.out.println("# ARM requests per VM delete: " + deleteRequests);
        System.out.println("# unverified logins refused and tried again: " + anyHostKey.refusedLogins());
        anyHostKey.close(); // its threads are not the verified client's
        for (Mode mode : Mode.values()) {
            concurrently(mode, concurrent, median(samples, mode, true, Sample::seconds));
        }
    }

    /** One VM: launch (learning its host keys), verified connect; then the cross-check, then delete. */
    private Sample verified(Mode mode) throws Exception {
        String name = "vm-" + ++vmCount;
        long requests = http.sent();
        long start = System.nanoTime();
        VerifiedVm vm = launcher.launch(spec(name, mode), TIMEOUT, step -> {});
        try (VerifiedSession session = ssh.connect(vm.vm().host(), vm.vm().sshPort(), ADMIN, vm.hostKeys(), admin,
                TIMEOUT)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            vm.crossCheck().await(TIMEOUT);
            kept.add(vm.vm());
            return new Sample(mode, true, seconds, http.sent() - requests);
        }
    }

    /** The same VM, provisioned and connected to with any host key accepted. */
    private Sample unverified(Mode mode) throws Exception {
        String name = "vm-" + ++vmCount;
        long requests = http.sent();
        long start = System.nanoTime();
        ProvisionedVm vm = provisioner.provision(spec(name, mode), TIMEOUT);
        try (ClientSession session = anyHostKey.connect(vm.host(), vm.sshPort(), ADMIN, admin, TIMEOUT)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            kept.add(vm);
            return new Sample(mode, false, seconds, http.sent() - requests);
        }
    }

    private long delete(ProvisionedVm vm) {
        long before = http.sent();
        provisioner.delete(vm, TIMEOUT);
        return http.sent() - before;
    }

    /** {@code count} VMs launched, verified and connected to at once, then all deleted. */
    private void concurrently(Mode mode, int count, double oneVmSeconds) throws Exception {
        System.gc();
        JvmPeaks peaks = JvmPeaks.start();
        long requests = http.sent();
        long start = System.nanoTime();
        // launchAsync needs no thread per VM: this one thread starts them all; connecting (a blocking call) takes
        // a few threads of the bench's own, and a launch that verified but cannot be connected to is deleted there
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS, new ThreadFactory() {
            private final AtomicInteger threads = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
                return new Thread(task, "bench-connect-" + threads.incrementAndGet());
            }
        });
        List<CompletableFuture<Launched>> launches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long begin = System.nanoTime();
            launches.add(launcher.launchAsync(spec("c" + mode.ordinal() + "-" + i, mode), TIMEOUT, step -> {})
                    .thenApplyAsync(vm -> connected(vm, begin), connectors));
        }
        List<Launched> launched = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Launched> launch : launches) {
            try {
                launched.add(launch.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause());
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        for (Launched vm : launched) {
            vm.vm().crossCheck().await(TIMEOUT);
        }
        double wallChecked = (System.nanoTime() - start) / 1e9;
        long launchRequests = http.sent() - requests;
        CompletableFuture.allOf(launched.stream().map(vm -> provisioner.deleteAsync(vm.vm().vm(), TIMEOUT))
                .toArray(CompletableFuture[]::new)).get();
        connectors.shutdown();
        awaitSshPortsClosed(launched.stream().map(vm -> vm.vm().vm()).toList());
        JvmPeaks.Figures figures = peaks.stop();
        List<GenericResource> left = azure.resources().genericResources().list().stream().toList();
        double[] each = launched.stream().mapToDouble(vm -> (vm.end() - vm.begin()) / 1e9).sorted().toArray();
        double firstEnd = launched.stream().mapToLong(Launched::end).min().orElse(start);
        double lastStart = launched.stream().mapToLong(Launched::begin).max().orElse(start);

        System.out.println();
        System.out.println("## 2. " + count + " VMs at once, " + mode + " (" + launched.size() + " verified, "
                + failures.size() + " failed)");
        System.out.printf(Locale.ROOT, "| wall, all connected | %.2f s = **%.2f×** one VM (%.2f s) |%n", wall,
                wall / oneVmSeconds, oneVmSeconds);
        System.out.printf(Locale.ROOT, "| wall, all cross-checked | %.2f s |%n", wallChecked);
        System.out.printf(Locale.ROOT, "| per VM launch + connect: min / median / max | %.2f / %.2f / %.2f s |%n",
                each.length == 0 ? 0 : each[0], each.length == 0 ? 0 : each[each.length / 2],
                each.length == 0 ? 0 : each[each.length - 1]);
        System.out.printf(Locale.ROOT, "| launches overlapping (last start before first end) | %s |%n",
                lastStart < firstEnd);
        System.out.printf(Locale.ROOT, "| peak live threads of this JVM | **%d** (before: %d; all %d launched from"
                + " one thread; %d the bench's connecting threads, 1 its sampler) |%n", figures.peakThreads(),
                figures.threadsBefore(), count, CONNECTORS);
        System.out.printf(Locale.ROOT, "| peak heap used (sampled / pools' peak sum) | %.0f MiB / %.0f MiB (before:"
                + " %.0f MiB) |%n", figures.peakHeapSampled() / 1048576.0, figures.peakHeapPools() / 1048576.0,
                figures.heapBefore() / 1048576.0);
        System.out.printf(Locale.ROOT, "| ARM requests, launch + cross-check | %d (%.1f per VM) |%n", launchRequests,
                launchRequests / (double) Math.max(1, count));
        System.out.printf(Locale.ROOT, "| resources left after delete (generic resource list) | **%d** %s |%n",
                left.size(), left.stream().map(GenericResource::id).toList());
        System.out.println("#   threads at peak, by name: " + figures.threadsAtPeak());
        for (Throwable failure : failures) {
            System.out.println("#   failed: " + failure);
        }
    }

    /**
     * Waits until no deleted VM's sshd answers any more: the emulator hands a freed address to the next VM, and an
     * sshd still shutting down there would answer that VM's first connection.
     */
    private static void awaitSshPortsClosed(List<ProvisionedVm> deleted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (ProvisionedVm vm : deleted) {
            while (System.nanoTime() < deadline) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(vm.host(), vm.sshPort()), 1_000);
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(200);
            }
        }
    }

    private VmSpec spec(String name, Mode mode) {
        VmSpec.Builder spec = VmSpec.builder().name(name).resourceGroup(GROUP).region(REGION).adminUsername(ADMIN)
                .sshKeys(admin.publicKey()).sshSource("127.0.0.1/32").ownerId("bench@" + hostName());
        if (mode == Mode.PRESEEDED) {
            spec.preseededHostKeys(PreseededHostKeys.generate(generator));
        }
        return spec.build();
    }

    private void close() throws IOException {
        ssh.close();
        anyHostKey.close();
    }

    private static double median(List<Sample> samples, Mode mode, boolean verified,
            java.util.function.ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().filter(s -> s.mode() == mode && s.verified() == verified)
                .mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String hostName() {
        return System.getenv().getOrDefault("HOSTNAME", "localhost");
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verified connection to the launched VM, timed; a VM that cannot be connected to is deleted. */
    private Launched connected(VerifiedVm vm, long begin) {
        try (VerifiedSession session = ssh.connect(vm.vm().host(), vm.vm().sshPort(), ADMIN, vm.hostKeys(), admin,
                TIMEOUT)) {
            return new Launched(vm, begin, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            provisioner.delete(vm.vm(), TIMEOUT);
            throw new CompletionException(e);
        }
    }

    private record Sample(Mode mode, boolean verified, double seconds, long launchRequests) {}

    private record Launched(VerifiedVm vm, long begin, long end) {}
}
