package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher.Step;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pre-seeded host keys end to end: cloud-init (the emulator honours customData's {@code ssh_keys}) installs keys we
 * generated, the first connection is verified with them while run-command is still running, and run-command's later
 * report is cross-checked — a disagreement or a report that cannot be read closes the connection and deletes the VM.
 * Run-command takes {@link #RUN_COMMAND} here, so "before run-command answers" is observable.
 */
class PreseededLaunchTest {
    private static final Duration RUN_COMMAND = Duration.ofSeconds(8);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "rg-preseeded";

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static VerifiedSshClient ssh;
    private static SshKeyGenerator generator;
    private static SshKeyPair admin;

    @BeforeAll
    static void start() throws Exception {
        arm = Emulators.startOrSkip(ArmEmulator.builder()
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
    void verifiesTheFirstConnectionBeforeRunCommandAnswersThenRunCommandAgrees() throws Exception {
        PreseededHostKeys seeded = PreseededHostKeys.generate(generator);
        Instant start = Instant.now();
        VerifiedVm vm = launcher.launch(spec("vm-seeded", seeded).build(), TIMEOUT, step -> {});
        try {
            try (VerifiedSession session = connect(vm)) {
                assertThat(vm.crossCheck().isDone()).as("run-command still running when SSH is verified").isFalse();
                assertThat(Duration.between(start, Instant.now())).isLessThan(RUN_COMMAND);
                assertThat(session.execute("true", new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                        Duration.ofSeconds(20)).exitStatus()).hasValue(0);
            }
            assertThat(keyscan(vm.vm().host())).as("sshd presents exactly the pre-seeded keys, no RSA left")
                    .containsExactlyInAnyOrderElementsOf(seeded.expected("vm-seeded").keys());
            assertThat(seeded.sameAs(vm.crossCheck().await(TIMEOUT))).isTrue();
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    @Test
    void runCommandReportingOtherKeysClosesTheConnectionAndDeletesTheVm() throws Exception {
        VerifiedVm vm = launcher.launch(spec("vm-disagree", PreseededHostKeys.generate(generator)).build(), TIMEOUT,
                attackBeforeProbe("vm-disagree", RunCommandFault.FOREIGN_ED25519_KEY));
        VerifiedSession session = connect(vm);
        vm.crossCheck().closeOnFailure(session);

        Throwable failure = catchThrowable(() -> vm.crossCheck().await(TIMEOUT));

        assertThat(failure).isInstanceOf(HostKeyDisagreementException.class)
                .hasMessageStartingWith("run-command on VM vm-disagree reports host keys [")
                .hasMessageContaining("not those pre-seeded in its customData")
                .hasMessageContaining(vm.hostKeys().keys().get(0).fingerprint().toString())
                .hasMessageEndingWith("treat it as an attack");
        assertThatThrownBy(() -> session.execute("true", new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                Duration.ofSeconds(5))).as("the connection was closed");
        assertThat(resourcesOf("vm-disagree")).as("deleted by the time await throws").isEmpty();
    }

    @Test
    void actionsOnFailureRunOnTheirOwnThreadsAndDoNotHoldUpTheDeletion() throws Exception {
        VerifiedVm vm = launcher.launch(spec("vm-slow-action", PreseededHostKeys.generate(generator)).build(),
                TIMEOUT, attackBeforeProbe("vm-slow-action", RunCommandFault.FOREIGN_ED25519_KEY));
        CountDownLatch blocking = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        vm.crossCheck().onFailure(failure -> {
            seen.set(failure);
            thread.set(Thread.currentThread().getName());
            blockUntil(blocking, release);
        });
        vm.crossCheck().closeOnFailure(() -> blockUntil(blocking, release));
        try {
            assertThat(blocking.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("both actions run").isTrue();
            assertThat(vm.crossCheck().failed()).isTrue();
            assertThat(seen.get()).isInstanceOf(HostKeyDisagreementException.class);
            assertThat(thread.get()).startsWith("host-key-cross-check-failure-");
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (!resourcesOf("vm-slow-action").isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(resourcesOf("vm-slow-action")).as("deleted while both actions still block").isEmpty();
            assertThat(release.getCount()).isEqualTo(1);
        } finally {
            release.countDown();
        }
        assertThatThrownBy(() -> vm.crossCheck().await(TIMEOUT)).isInstanceOf(HostKeyDisagreementException.class);
    }

    private static void blockUntil(CountDownLatch blocking, CountDownLatch release) {
        blocking.countDown();
        try {
            release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aCrossCheckThatCannotReadTheKeysFailsClosedToo() throws Exception {
        VerifiedVm vm = launcher.launch(spec("vm-unread", PreseededHostKeys.generate(generator)).build(), TIMEOUT,
                attackBeforeProbe("vm-unread", RunCommandFault.EMPTY_OUTPUT));

        assertThatThrownBy(() -> vm.crossCheck().await(TIMEOUT)).isInstanceOf(HostKeyProbeException.class)
                .isNotInstanceOf(HostKeyDisagreementException.class)
                .hasMessageStartingWith("host key probe of VM vm-unread failed");
        assertThat(resourcesOf("vm-unread")).as("deleted by the time await throws").isEmpty();
    }

    @Test
    void keepOnFailureKeepsTheVmForInspection() throws Exception {
        VerifiedVm vm = launcher.launch(spec("vm-kept", PreseededHostKeys.generate(generator)).keepOnFailure(true)
                .build(), TIMEOUT, attackBeforeProbe("vm-kept", RunCommandFault.FOREIGN_ED25519_KEY));
        assertThatThrownBy(() -> vm.crossCheck().await(TIMEOUT)).isInstanceOf(HostKeyDisagreementException.class);
        Thread.sleep(1_000);
        assertThat(resourcesOf("vm-kept")).isNotEmpty();
        provisioner.delete(vm.vm(), TIMEOUT);
        assertThat(resourcesOf("vm-kept")).isEmpty();
    }

    private static VmSpec.Builder spec(String name, PreseededHostKeys seeded) {
        return VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION).sshKeys(admin.publicKey())
                .sshSource("127.0.0.1/32").ownerId("tester@host").preseededHostKeys(seeded);
    }

    private static VerifiedSession connect(VerifiedVm vm) throws Exception {
        return ssh.connect(vm.vm().host(), vm.vm().sshPort(), vm.vm().adminUsername(), vm.hostKeys(), admin,
                Duration.ofSeconds(20));
    }

    private static Consumer<Step> attackBeforeProbe(String vmName, RunCommandFault fault) {
        return step -> {
            if (step == Step.PROBE) {
                try {
                    arm.attack(vmName, fault);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static List<LiveResource> resourcesOf(String vmName) {
        return Emulators.resourcesOf(arm, vmName);
    }

    private static List<SshPublicKey> keyscan(String host) throws Exception {
        return Emulators.keyscan(host, 22);
    }
}
