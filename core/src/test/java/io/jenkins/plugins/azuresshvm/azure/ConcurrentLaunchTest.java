package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.LoggedRequest;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Launches from several threads at once do not wait for each other: the run-commands of all the VMs are in flight
 * together (each one's POST comes before any of them ends), whether they probe on the critical path or cross-check
 * pre-seeded keys in the background. More launches than a ForkJoin common pool of a few cores has threads. Needs
 * root, openssh-server and libnss-wrapper: skipped without them, failed under {@code CI=true}.
 */
class ConcurrentLaunchTest {
    private static final int LAUNCHES = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Long enough that run-commands of VMs provisioned together overlap unless one waits for another. */
    private static final Latencies RUN_COMMAND_TAKES_4_S = new Latencies(Duration.ZERO, Duration.ZERO,
            Duration.ofSeconds(4));
    private static final String GROUP = "rg-concurrent";

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static SshKeyGenerator generator;
    private static SshKeyPair admin;

    @BeforeAll
    static void startEmulator() throws Exception {
        arm = Emulators.startOrSkip(ArmEmulator.builder().latencies(RUN_COMMAND_TAKES_4_S));
        AzureAccess azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        launcher = Emulators.launcher(azure, provisioner);
        generator = new SshKeyGenerator();
        admin = generator.generate(KeyGenSpec.ed25519(), "admin@test");
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @ParameterizedTest(name = "pre-seeded: {0}")
    @ValueSource(booleans = {false, true})
    void runCommandsOfConcurrentLaunchesAreInFlightTogether(boolean preseeded) throws Exception {
        Instant start = Instant.now();
        ExecutorService callers = Executors.newFixedThreadPool(LAUNCHES);
        List<Future<VerifiedVm>> launches = new ArrayList<>();
        for (int i = 0; i < LAUNCHES; i++) {
            VmSpec.Builder spec = VmSpec.builder().name("vm-" + preseeded + "-" + i).resourceGroup(GROUP)
                    .region(Emulators.REGION).sshKeys(admin.publicKey()).sshSource("127.0.0.1/32")
                    .ownerId("tester@host");
            if (preseeded) {
                spec.preseededHostKeys(PreseededHostKeys.generate(generator));
            }
            launches.add(callers.submit(() -> launcher.launch(spec.build(), TIMEOUT, step -> {})));
        }
        List<VerifiedVm> vms = new ArrayList<>();
        try {
            for (Future<VerifiedVm> launch : launches) {
                vms.add(launch.get());
            }
            for (VerifiedVm vm : vms) {
                assertThat(vm.crossCheck().await(TIMEOUT).keys()).containsExactlyInAnyOrderElementsOf(
                        vm.hostKeys().keys());
            }
        } finally {
            callers.shutdown();
            for (VerifiedVm vm : vms) {
                provisioner.delete(vm.vm(), TIMEOUT);
            }
        }

        List<LoggedRequest> log = arm.requestLog().stream().filter(r -> !r.time().isBefore(start)).toList();
        List<Instant> posted = log.stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/runCommand") && r.status() == 202)
                .map(LoggedRequest::time).toList();
        // outside the LRO mode, the only Microsoft.Compute operations are run-commands
        Instant firstEnded = log.stream()
                .filter(r -> r.path().contains("/providers/Microsoft.Compute/locations/")
                        && "Succeeded".equals(r.state()))
                .map(LoggedRequest::time).min(Instant::compareTo).orElseThrow();
        assertThat(posted).hasSize(LAUNCHES).allSatisfy(post -> assertThat(post).as("a run-command POST")
                .isBefore(firstEnded));
    }
}
