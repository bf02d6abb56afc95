package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verification the SSH Build Agents strategy delegates to, against the ARM emulator: the expected keys are
 * decided before connecting (the PINNED rule, pin in a store), the keys the real sshd presents ({@code ssh-keyscan})
 * are compared locally, the first accepted key pins, a changed key under the same {@code vmId} is refused naming both
 * fingerprints, and a re-created VM is probed and pinned anew. Needs root, openssh-server and libnss-wrapper.
 */
class PinnedHostKeyVerificationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "rg-agent-pins";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static PinnedHostKeyVerification verification;
    private static SshPublicKey adminKey;

    @BeforeAll
    static void startEmulator() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        RunCommandHostKeyProbe probe = new RunCommandHostKeyProbe(new RunCommand(azure, Duration.ofMillis(200)));
        launcher = new VerifiedVmLauncher(provisioner, probe);
        verification = new PinnedHostKeyVerification(new PinnedHostKeyResolver(new VmLookup(azure), probe));
        adminKey = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "admin@test").publicKey();
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void theFirstVerifiedKeyPinsTheSameVmKeepsItAChangedKeyIsRefusedAndARecreatedVmIsPinnedAnew() throws Exception {
        String name = "agent-pinned";
        MemoryPinStore pins = new MemoryPinStore();
        VerifiedVm first = launch(name);

        PinnedHostKeyVerification.Prepared unpinned = verification.prepare(GROUP, name, pins, TIMEOUT);
        assertThat(unpinned.repinned()).isTrue();
        assertThat(unpinned.vmId()).isEqualTo(first.vm().vmId());
        assertThat(unpinned.hostKeyAlgorithms()).containsExactlyInAnyOrderElementsOf(
                first.hostKeys().hostKeyAlgorithms());
        assertThat(pins.pin).as("nothing pinned before a verified connection").isNull();
        SshPublicKey ed25519 = presented(first, "ed25519");
        PinnedHostKeyVerification.Verdict accepted = unpinned.verify("ssh-ed25519", ed25519.blob());
        assertThat(accepted.accepted()).isTrue();
        assertThat(accepted.explanation()).contains(ed25519.fingerprint().toString(), "run-command on VM " + name,
                "pinned to vmId " + first.vm().vmId());
        assertThat(pins.pin.vmId()).isEqualTo(first.vm().vmId());
        assertThat(pins.pin.keys().keys()).containsExactlyInAnyOrderElementsOf(first.hostKeys().keys());
        assertThat(unpinned.verify("rsa-sha2-512", presented(first, "rsa").blob()).accepted()).isTrue();

        // the same VM: the pin is used, with one read of the VM and no run-command
        PinnedHostKeys storedPin = pins.pin;
        int before = arm.requestLog().size();
        PinnedHostKeyVerification.Prepared same = verification.prepare(GROUP, name, pins, TIMEOUT);
        assertThat(arm.requestLog().subList(before, arm.requestLog().size())).hasSize(1)
                .allSatisfy(request -> assertThat(request.method()).isEqualTo("GET"));
        assertThat(same.repinned()).isFalse();
        assertThat(same.verify("ssh-ed25519", presented(first, "ed25519").blob()).accepted()).isTrue();
        assertThat(pins.saves).isEqualTo(1);

        // same vmId, another key: an attack, refused with both fingerprints, the pin untouched
        arm.attack(name, Attack.foreignHostKeys());
        SshPublicKey foreign = presented(first, "ed25519");
        PinnedHostKeyVerification.Verdict refused = verification.prepare(GROUP, name, pins, TIMEOUT)
                .verify("ssh-ed25519", foreign.blob());
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.explanation()).contains("does not match", "expected ssh-ed25519 " + ed25519.fingerprint(),
                "from pin of VM " + first.vm().vmId(), "presented ssh-ed25519 " + foreign.fingerprint());
        assertThat(pins.pin).isSameAs(storedPin);
        assertThat(pins.saves).isEqualTo(1);

        // re-created under the same name: another vmId, probed and pinned anew
        provisioner.delete(first.vm(), TIMEOUT);
        VerifiedVm second = launch(name);
        try {
            PinnedHostKeyVerification.Prepared recreated = verification.prepare(GROUP, name, pins, TIMEOUT);
            assertThat(recreated.repinned()).isTrue();
            assertThat(recreated.vmId()).isEqualTo(second.vm().vmId()).isNotEqualTo(first.vm().vmId());
            assertThat(recreated.verify("ssh-ed25519", presented(second, "ed25519").blob()).accepted()).isTrue();
            assertThat(pins.pin.vmId()).isEqualTo(second.vm().vmId());
            assertThat(pins.pin.keys().keys()).doesNotContainAnyElementsOf(storedPin.keys().keys());
        } finally {
            provisioner.delete(second.vm(), TIMEOUT);
        }
    }

    @Test
    void aManInTheMiddleBeforeTheFirstConnectionIsRefusedAndNothingIsPinned() throws Exception {
        String name = "agent-mitm";
        VerifiedVm vm = launch(name);
        try {
            arm.attack(name, Attack.foreignHostKeys());
            MemoryPinStore pins = new MemoryPinStore();
            PinnedHostKeyVerification.Prepared prepared = verification.prepare(GROUP, name, pins, TIMEOUT);

            SshPublicKey foreign = presented(vm, "ed25519");
            PinnedHostKeyVerification.Verdict verdict = prepared.verify("ssh-ed25519", foreign.blob());

            assertThat(verdict.accepted()).isFalse();
            assertThat(verdict.explanation()).contains("from run-command on VM " + name,
                    "presented ssh-ed25519 " + foreign.fingerprint());
            assertThat(pins.pin).isNull();
            assertThat(prepared.verify("ssh-ed25519", new byte[] {0, 0, 0, 3, 'x'}).explanation())
                    .contains("presented an undecodable key SHA256:");
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    @Test
    void anUnreadableStoredPinFailsThePreparationInsteadOfCountingAsNoPin() {
        PinnedHostKeyVerification.PinStore corrupt = new MemoryPinStore() {
            @Override
            public PinnedHostKeys load() throws KeyFormatException {
                return PinnedHostKeys.parse("nodes/agent/pin", "not a pin\n");
            }
        };

        KeyFormatException e = catchThrowableOfType(
                () -> verification.prepare(GROUP, "any-vm", corrupt, TIMEOUT), KeyFormatException.class);

        assertThat(e).hasMessageContaining("nodes/agent/pin").hasMessageContaining("vmId");
    }

    private static VerifiedVm launch(String name) throws Exception {
        return launcher.launch(VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION)
                .sshKeys(List.of(adminKey)).sshSource("127.0.0.1/32").ownerId("tester@host").build(), TIMEOUT,
                step -> {});
    }

    /** The {@code type} host key the VM's sshd presents, as the real {@code ssh-keyscan} sees it. */
    private static SshPublicKey presented(VerifiedVm vm, String type) throws Exception {
        List<SshPublicKey> keys = new ArrayList<>();
        for (String line : OpenSsh.run(OpenSsh.sshKeyscan(), "-t", type, "-p", String.valueOf(vm.vm().sshPort()),
                vm.vm().host()).assertSuccess().stdout().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                keys.add(SshPublicKey.parse(line.substring(line.indexOf(' ') + 1)));
            }
        }
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    /** Keeps the pin in its stored form, as a file would. */
    private static class MemoryPinStore implements PinnedHostKeyVerification.PinStore {
        PinnedHostKeys pin;
        int saves;

        @Override
        public PinnedHostKeys load() throws KeyFormatException {
            return pin == null ? null : PinnedHostKeys.parse("stored pin", pin.toText());
        }

        @Override
        public void save(PinnedHostKeys pin) {
            this.pin = pin;
            saves++;
        }
    }
}
