package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.OperationKind;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VerifiedVmLauncher#launchAsync}: one thread starts many launches, and no thread of the client waits for a VM
 * in flight — the client's live threads grow by fewer than the VMs launched at once (the emulator's own threads,
 * which run in this JVM, are not counted). What grows is shared and bounded: Reactor's boundedElastic threads, on
 * which azure-core decodes answers, and on two cores the JDK HTTP client's thread per completing response (its
 * asynchronous hand-over goes to {@code CompletableFuture}'s default executor, a thread per task there). A failed launch cleans up before its future fails, naming the step; a
 * cancelled one deletes what it created. Needs root, openssh-server and libnss-wrapper: skipped without them, failed
 * under {@code CI=true}.
 */
class AsyncLaunchTest {
    private static final int LAUNCHES = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Long enough that all the launches are in flight together. */
    private static final Duration RUN_COMMAND = Duration.ofSeconds(3);
    private static final String GROUP = "rg-async";
    /** Threads of the emulator (in this JVM for the test), which grow with its VMs: not the client's. */
    private static final List<String> EMULATOR_THREADS = List.of("arm-emulator-", "host-key-pool", "sshd log of VM",
            "process reaper", "HTTP-Dispatcher");

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static VerifiedSshClient ssh;
    private static SshKeyGenerator generator;
    private static SshKeyPair admin;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip(ArmEmulator.builder().hostKeyPool(LAUNCHES + 2)
                .latencies(new Latencies(Duration.ZERO, Duration.ZERO, RUN_COMMAND)));
        AzureAccess azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        launcher = Emulators.launcher(azure, provisioner);
        ssh = new VerifiedSshClient();
        generator = new SshKeyGenerator();
        admin = generator.generate(KeyGenSpec.ed25519(), "admin@test");
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void oneThreadLaunchesManyVmsAndTheClientsThreadsDoNotGrowWithThem() throws Exception {
        // one launch first, so the client's shared pools (HTTP workers, Reactor's timers, MINA) exist already
        VerifiedVm first = launcher.launchAsync(spec("vm-async-first", false), TIMEOUT, step -> {})
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        loginAndDelete(first);
        ClientThreads threads = ClientThreads.sample();

        List<CompletableFuture<VerifiedVm>> launches = new ArrayList<>();
        for (int i = 0; i < LAUNCHES; i++) {
            launches.add(launcher.launchAsync(spec("vm-async-" + i, i % 2 == 1), TIMEOUT, step -> {}));
        }
        CompletableFuture.allOf(launches.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        List<String> peak = threads.stop();

        assertThat(peak.size() - threads.before().size()).as("growth of the client's live threads while %d VMs"
                + " launch at once; before: %s; at the peak: %s", LAUNCHES, threads.before(), peak)
                .isLessThan(LAUNCHES);
        for (CompletableFuture<VerifiedVm> launch : launches) {
            VerifiedVm vm = launch.get();
            assertThat(vm.crossCheck().await(TIMEOUT).keys()).containsExactlyInAnyOrderElementsOf(
                    vm.hostKeys().keys());
            loginAndDelete(vm);
        }
        assertThat(arm.inventory()).as("left in the emulator").noneMatch(r -> r.id().contains("vm-async-"));
    }

    @Test
    void aFailedAsyncLaunchCleansUpAndFailsNamingTheStep() {
        arm.inject(Fault.failedOperation(OperationKind.VM_PUT, 1, "InternalExecutionError",
                "An unexpected error occurred (injected)."));

        Throwable failure = catchThrowable(() -> launcher.launchAsync(spec("vm-async-failed", false), TIMEOUT,
                step -> {}).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("failed while creating VM vm-async-failed")
                .hasMessageContaining("InternalExecutionError");
        ProvisioningException provisioning = (ProvisioningException) failure.getCause();
        assertThat(provisioning.failedStep()).isEqualTo("creating VM vm-async-failed");
        assertThat(provisioning.deleted()).isNotEmpty();
        assertThat(provisioning.left()).isEmpty();
        assertThat(Emulators.resourcesOf(arm, "vm-async-failed")).as("left in the emulator").isEmpty();
    }

    @Test
    void aCancelledLaunchDeletesWhatItCreated() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CompletableFuture<VerifiedVm> launch = launcher.launchAsync(spec("vm-async-cancelled", false), TIMEOUT,
                step -> {
                    if (step == VerifiedVmLauncher.Step.PROBE) {
                        probing.countDown();
                    }
                });
        assertThat(probing.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("provisioned").isTrue();
        assertThat(Emulators.resourcesOf(arm, "vm-async-cancelled")).as("the VM and its resources").isNotEmpty();

        assertThat(launch.cancel(false)).isTrue();

        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!Emulators.resourcesOf(arm, "vm-async-cancelled").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(Emulators.resourcesOf(arm, "vm-async-cancelled")).as("left in the emulator").isEmpty();
    }

    private static VmSpec spec(String name, boolean preseeded) {
        VmSpec.Builder spec = VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION)
                .sshKeys(admin.publicKey()).sshSource("127.0.0.1/32").ownerId("tester@host");
        if (preseeded) {
            spec.preseededHostKeys(PreseededHostKeys.generate(generator));
        }
        return spec.build();
    }

    /** A verified login running {@code true}, then the VM deleted. */
    private static void loginAndDelete(VerifiedVm vm) throws Exception {
        try (VerifiedSession session = ssh.connect(vm.vm().host(), vm.vm().sshPort(), vm.vm().adminUsername(),
                vm.hostKeys(), admin, Duration.ofSeconds(20))) {
            CommandResult result = session.execute("true", new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                    Duration.ofSeconds(20));
            assertThat(result.exitStatus()).hasValue(0);
        }
        provisioner.deleteAsync(vm.vm(), TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The most live threads of this JVM that are not the emulator's, sampled every 10 ms until stopped. */
    private static final class ClientThreads {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final List<String> before = clientThreadNames();
        private volatile List<String> atPeak = before;
        private final Thread sampler = new Thread(this::run, "client-thread-sampler");
        private volatile boolean running = true;

        static ClientThreads sample() {
            ClientThreads sampling = new ClientThreads();
            sampling.sampler.setDaemon(true);
            sampling.sampler.start();
            return sampling;
        }

        List<String> before() {
            return before;
        }

        /** The threads at the peak, without the sampler itself. */
        List<String> stop() throws InterruptedException {
            running = false;
            sampler.join();
            return atPeak;
        }

        private void run() {
            while (running) {
                List<String> names = clientThreadNames();
                names.remove(sampler.getName());
                if (names.size() > atPeak.size()) {
                    atPeak = names;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private List<String> clientThreadNames() {
            return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds())).filter(Objects::nonNull)
                    .map(ThreadInfo::getThreadName)
                    .filter(name -> EMULATOR_THREADS.stream().noneMatch(name::startsWith))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
    }
}
