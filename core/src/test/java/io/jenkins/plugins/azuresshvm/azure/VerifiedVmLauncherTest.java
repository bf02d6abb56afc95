package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher.Step;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.LoggedRequest;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyPolicy;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.HostKeyMismatchException;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verified workflow end to end against the ARM emulator (the real SDK over HTTPS; each VM a real sshd): a VM is
 * created with our keys, its host keys are learned through run-command, and SSH connects only when the server
 * presents one of them. Every attack the emulator can inject fails closed. Needs root, openssh-server and
 * libnss-wrapper: skipped without them, failed under {@code CI=true}.
 */
class VerifiedVmLauncherTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);
    /** Enough to provision an emulated VM (2-3 s), short enough that a probe waiting for a VM agent soon gives up. */
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(6);
    private static final String GROUP = "rg-verified";
    private static final String ADMIN = "azureuser";

    @TempDir
    static Path dir;

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static AzureVmProvisioner provisioner;
    private static RunCommand runCommand;
    private static RunCommandHostKeyProbe probe;
    private static VerifiedVmLauncher launcher;
    private static VerifiedSshClient ssh;
    private static SshKeyPair ed25519;
    private static SshKeyPair rsa2048;
    private static SshKeyPair rsa4096;

    @BeforeAll
    static void startEmulatorAndGenerateOurKeys() throws Exception {
        SshKeyGenerator generator = new SshKeyGenerator();
        CompletableFuture<SshKeyPair> slowKey = CompletableFuture.supplyAsync(
                () -> generator.generate(KeyGenSpec.rsa(4096), "rsa4096@test"));
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        provisioner = new AzureVmProvisioner(azure, Duration.ofMillis(100), Clock.systemUTC());
        runCommand = new RunCommand(azure, Duration.ofMillis(200));
        probe = new RunCommandHostKeyProbe(runCommand);
        launcher = new VerifiedVmLauncher(provisioner, probe);
        ssh = new VerifiedSshClient();
        ed25519 = generator.generate(KeyGenSpec.ed25519(), "ed25519@test");
        rsa2048 = generator.generate(KeyGenSpec.rsa(2048), "rsa2048@test");
        rsa4096 = slowKey.join();
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

    // ---- happy path

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "rsa-2048"})
    void withOneKeyTheVmsProbedHostKeysAreThoseItsSshdPresentsAndTheAdminLogsIn(String keyName) throws Exception {
        SshKeyPair key = keyName.equals("ed25519") ? ed25519 : rsa2048;
        VerifiedVm vm = launch(spec("vm-one-" + keyName, key));
        try {
            assertThat(vm.vm().adminUsername()).isEqualTo(ADMIN);
            assertThat(vm.hostKeys().keys()).as("probed through run-command vs. presented on the wire")
                    .containsExactlyInAnyOrderElementsOf(keyscan(vm.vm().host()));

            try (VerifiedSession session = connect(vm, vm.hostKeys(), key)) {
                assertThat(session.presentedHostKey())
                        .isEqualTo(vm.hostKeys().forAlgorithm(session.hostKeyAlgorithm()).orElseThrow());
                assertThat(run(session, "echo ok; echo $USER")).isEqualTo(new Output(0, "ok\n" + ADMIN + "\n"));
            }
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    @Test
    void withSeveralKeysEachOfThemLogsIn() throws Exception {
        VerifiedVm vm = launch(spec("vm-several", rsa2048, rsa4096, ed25519));
        try {
            assertThat(vm.hostKeys().keys()).containsExactlyInAnyOrderElementsOf(keyscan(vm.vm().host()));
            for (SshKeyPair key : List.of(rsa2048, rsa4096, ed25519)) {
                try (VerifiedSession session = connect(vm, vm.hostKeys(), key)) {
                    assertThat(run(session, "echo ok; echo $USER")).as(key.comment())
                            .isEqualTo(new Output(0, "ok\n" + ADMIN + "\n"));
                }
            }
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    @Test
    void theKnownHostsLinesLetOpenSshConnectWithStrictHostKeyCheckingAndNoPrompt() throws Exception {
        VerifiedVm vm = launch(spec("vm-known-hosts", ed25519));
        try {
            String marker = "/tmp/azssh-known-hosts-" + UUID.randomUUID();

            OpenSsh.Result result = openSsh(vm, knownHostsFile(vm), "", "touch " + marker + " && echo ok");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("ok\n");
            assertThat(result.stderr()).doesNotContain("Permanently added", "authenticity");
            // the marker check the attack tests rely on: what an SSH command does, run-command sees
            assertThat(markerOnVm(vm, marker)).isEqualTo("present");
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    // ---- a man in the middle presenting other host keys: refused, nothing runs

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"all host keys differ", "the negotiated algorithm's key differs"})
    void aServerPresentingAnotherHostKeyIsRefusedNamingBothFingerprintsAndNoCommandRuns(String attack)
            throws Exception {
        String name = attack.startsWith("all") ? "vm-mitm-all" : "vm-mitm-negotiated";
        VerifiedVm vm = launch(spec(name, ed25519));
        try {
            String negotiated;
            try (VerifiedSession session = connect(vm, vm.hostKeys(), ed25519)) {
                negotiated = session.hostKeyAlgorithm();
            }
            String type = keyTypeOf(negotiated);
            arm.attack(name, attack.startsWith("all") ? Attack.foreignHostKeys() : Attack.foreignHostKey(type));
            String expected = vm.hostKeys().forAlgorithm(negotiated).orElseThrow().fingerprint().toString();
            String presented = sshKeygenFingerprint(vm.vm().host(), type);
            assertThat(presented).isNotEqualTo(expected);

            HostKeyMismatchException refused = catchThrowableOfType(() -> connect(vm, vm.hostKeys(), ed25519),
                    HostKeyMismatchException.class);

            assertThat(refused).as("connect must refuse before any session exists").isNotNull();
            assertThat(refused.getMessage()).contains(vm.vm().host() + ":22", "negotiated " + negotiated,
                    "expected " + vm.hostKeys().forAlgorithm(negotiated).orElseThrow().algorithm() + " " + expected,
                    "presented ", presented, "from run-command on VM " + name);

            // the real ssh, negotiating the same algorithm with our known_hosts, refuses too: the command never runs
            String marker = "/tmp/azssh-mitm-" + UUID.randomUUID();
            OpenSsh.Result openSsh = openSsh(vm, knownHostsFile(vm), negotiated, "touch " + marker);
            assertThat(openSsh.exitCode()).isEqualTo(255);
            assertThat(openSsh.stderr()).contains("Host key verification failed");
            assertThat(markerOnVm(vm, marker)).isEqualTo("absent");
        } finally {
            provisioner.delete(vm.vm(), TIMEOUT);
        }
    }

    // ---- a probe whose answer cannot be trusted: the launch fails closed and deletes the VM

    @ParameterizedTest(name = "{0}")
    // a well-formed foreign key is no untrustworthy probe: the connection refuses it (PreseededLaunchTest, and below)
    @EnumSource(value = RunCommandFault.class, mode = EnumSource.Mode.EXCLUDE, names = "FOREIGN_ED25519_KEY")
    void anUntrustworthyProbeFailsTheLaunchAndDeletesEverythingItCreated(RunCommandFault fault) {
        String name = "vm-" + fault.name().toLowerCase().replace('_', '-');
        List<Step> steps = new ArrayList<>();
        Duration timeout = fault == RunCommandFault.AGENT_NOT_READY ? AGENT_TIMEOUT : TIMEOUT;

        Throwable failure = catchThrowable(() -> launcher.launch(spec(name, ed25519).build(), timeout,
                attackBeforeProbe(name, fault, steps)));

        assertThat(steps).containsExactly(Step.PROVISION, Step.PROBE);
        switch (fault) {
            case EMPTY_OUTPUT -> assertThat(failure).isInstanceOf(HostKeyProbeException.class)
                    .hasMessageContaining("the BEGIN marker is missing from stdout: stdout is empty");
            case TRUNCATED_OUTPUT -> assertThat(failure).isInstanceOf(HostKeyProbeException.class)
                    .hasMessageContaining("the END marker is missing").hasMessageContaining("cut short");
            case EXTRA_KEY_LINE -> assertThat(failure).isInstanceOf(HostKeyProbeException.class)
                    .hasMessageContaining("outside the markers")
                    .hasMessageContaining("a host key outside them is refused");
            case AGENT_NOT_READY -> assertThat(failure).isInstanceOf(AzureVmException.class)
                    .hasMessageContaining("run command on VM " + name)
                    .hasMessageMatching(".*(the VM agent was not ready|did not finish) within \\d+ s.*");
        }
        // a failed delete would be suppressed here (Reactor's "#block terminated with an error" marker is no failure)
        assertThat(failure.getSuppressed()).as("clean-up failures").noneMatch(RuntimeException.class::isInstance);
        assertThat(resourcesOf(name)).as("left behind").isEmpty();
    }

    @Test
    void anUntrustworthyProbeInANewResourceGroupDeletesTheGroup() {
        Throwable failure = catchThrowable(() -> launcher.launch(spec("vm-extra-new-group", ed25519)
                .newResourceGroup("rg-failed").build(), TIMEOUT,
                attackBeforeProbe("vm-extra-new-group", RunCommandFault.EXTRA_KEY_LINE, new ArrayList<>())));

        assertThat(failure).isInstanceOf(HostKeyProbeException.class);
        assertThat(arm.inventory()).extracting(LiveResource::id)
                .noneMatch(id -> id.contains("/resourceGroups/rg-failed"));
        assertThat(resourcesOf("vm-extra-new-group")).isEmpty();
    }

    // ---- PINNED: the pin holds for the VM it was made for, and only for it

    @Test
    void aPinIsKeptForTheSameVmAndRefusesAChangedKeyButARecreatedVmIsProbedAndPinnedAnew() throws Exception {
        String name = "vm-pinned";
        PinnedHostKeyResolver resolver = new PinnedHostKeyResolver(new VmLookup(azure), probe);
        VerifiedVm first = launch(spec(name, ed25519));

        // no pin yet: probed, pinned to the vmId, and stored after a verified connection
        PinnedHostKeyResolver.Resolution unpinned = resolver.resolve(GROUP, name, null, TIMEOUT);
        assertThat(unpinned.repinned()).isTrue();
        assertThat(unpinned.pin().vmId()).isEqualTo(first.vm().vmId());
        assertThat(unpinned.pin().keys().keys()).containsExactlyInAnyOrderElementsOf(first.hostKeys().keys());
        try (VerifiedSession session = connect(first, unpinned.pin().keys(), ed25519)) {
            assertThat(run(session, "echo ok").exitStatus()).isZero();
        }
        PinnedHostKeys storedPin = pin(unpinned.pin().toText());

        // same VM: the pin is used as is, with one cheap read and no run-command
        int before = arm.requestLog().size();
        PinnedHostKeyResolver.Resolution same = resolver.resolve(GROUP, name, storedPin, TIMEOUT);
        assertThat(kinds(arm.requestLog().subList(before, arm.requestLog().size())))
                .isEqualTo(Map.of("GET virtualMachines", 1L));
        assertThat(same.repinned()).isFalse();
        assertThat(same.pin()).isSameAs(storedPin);
        try (VerifiedSession session = connect(first, same.pin().keys(), ed25519)) {
            assertThat(run(session, "echo ok").exitStatus()).isZero();
        }

        // same vmId, changed key: an attack, refused
        arm.attack(name, Attack.foreignHostKeys());
        assertThat(storedPin.decide(new VmLookup(azure).vmId(GROUP, name, TIMEOUT)))
                .isEqualTo(PinnedHostKeys.Decision.USE_PIN);
        PinnedHostKeyResolver.Resolution attacked = resolver.resolve(GROUP, name, storedPin, TIMEOUT);
        assertThat(attacked.repinned()).isFalse();
        HostKeyMismatchException refused = catchThrowableOfType(() -> connect(first, attacked.pin().keys(), ed25519),
                HostKeyMismatchException.class);
        assertThat(refused).hasMessageContaining("from pin of VM " + first.vm().vmId());

        // re-created under the same name: a new vmId, so probed and pinned anew, and accepted
        provisioner.delete(first.vm(), TIMEOUT);
        VerifiedVm second = launch(spec(name, ed25519));
        try {
            assertThat(second.vm().vmId()).isNotEqualTo(first.vm().vmId());
            assertThat(storedPin.decide(second.vm().vmId()))
                    .isEqualTo(PinnedHostKeys.Decision.REPROBE_AND_REPIN);

            PinnedHostKeyResolver.Resolution recreated = resolver.resolve(GROUP, name, storedPin, TIMEOUT);

            assertThat(recreated.repinned()).isTrue();
            assertThat(recreated.pin().vmId()).isEqualTo(second.vm().vmId());
            assertThat(recreated.pin().keys().keys()).containsExactlyInAnyOrderElementsOf(second.hostKeys().keys())
                    .doesNotContainAnyElementsOf(storedPin.keys().keys());
            try (VerifiedSession session = connect(second, recreated.pin().keys(), ed25519)) {
                assertThat(run(session, "echo ok")).isEqualTo(new Output(0, "ok\n"));
            }
        } finally {
            provisioner.delete(second.vm(), TIMEOUT);
        }
    }

    // ---- cost

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in its own new resource group", "in an existing resource group"})
    void oneVerifiedVmCostsOneRunCommandAndAFewArmRequests(String where) throws Exception {
        boolean ownGroup = where.contains("own");
        String name = ownGroup ? "vm-cost-own" : "vm-cost-shared";
        VmSpec.Builder spec = spec(name, ed25519);
        if (ownGroup) {
            spec.newResourceGroup("rg-cost");
        }
        int before = arm.requestLog().size();
        long start = System.nanoTime();

        VerifiedVm vm = launcher.launch(spec.build(), TIMEOUT, step -> {});
        long launched = System.nanoTime();
        int launchRequests = arm.requestLog().size() - before;
        provisioner.delete(vm.vm(), TIMEOUT);
        long deleted = System.nanoTime();

        List<LoggedRequest> requests = arm.requestLog().subList(before, arm.requestLog().size());
        Map<String, Long> kinds = kinds(requests);
        System.out.printf("one verified VM %s: %d ARM requests (%d to launch: provision + probe, %d to delete);"
                + " launch %d ms, delete %d ms; by kind: %s%n", where, requests.size(), launchRequests,
                requests.size() - launchRequests, millis(start, launched), millis(launched, deleted), kinds);
        assertThat(kinds).containsEntry("POST virtualMachines/runCommand", 1L);
        assertThat(requests).filteredOn(r -> r.status() >= 400)
                .allMatch(r -> r.status() == 404 && (r.method().equals("HEAD") || r.method().equals("GET")),
                        "only existence checks may miss");
        assertThat(ownGroup ? arm.inventory().stream().filter(r -> r.id().contains("/resourceGroups/rg-cost")).toList()
                : resourcesOf(name)).isEmpty();
    }

    // ---- helpers

    private static VmSpec.Builder spec(String name, SshKeyPair... keys) {
        return VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION)
                .sshKeys(Arrays.stream(keys).map(SshKeyPair::publicKey).toList()).sshSource("127.0.0.1/32")
                .ownerId("tester@host");
    }

    private static VerifiedVm launch(VmSpec.Builder spec) throws HostKeyProbeException {
        return launcher.launch(spec.build(), TIMEOUT, step -> {});
    }

    /** Progress that records the steps and injects {@code fault} once the VM exists, before its probe starts. */
    private static Consumer<Step> attackBeforeProbe(String vmName, RunCommandFault fault, List<Step> steps) {
        return step -> {
            steps.add(step);
            if (step == Step.PROBE) {
                try {
                    arm.attack(vmName, fault);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static VerifiedSession connect(VerifiedVm vm, HostKeyPolicy expected, SshKeyPair key) throws Exception {
        return ssh.connect(vm.vm().host(), vm.vm().sshPort(), vm.vm().adminUsername(), expected, key, SSH_TIMEOUT);
    }

    private record Output(int exitStatus, String stdout) {}

    private static Output run(VerifiedSession session, String command) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CommandResult result = session.execute(command, stdout, new ByteArrayOutputStream(), SSH_TIMEOUT);
        return new Output(result.exitStatus().orElse(-1), stdout.toString(StandardCharsets.UTF_8));
    }

    private static PinnedHostKeys pin(String stored) throws Exception {
        return PinnedHostKeys.parse("stored pin", stored);
    }

    /** Every live resource of the VM: itself, its disk, NIC, IP, NSG and virtual network. */
    private static List<LiveResource> resourcesOf(String vmName) {
        return Emulators.resourcesOf(arm, vmName);
    }

    private static List<SshPublicKey> keyscan(String host) throws Exception {
        return Emulators.keyscan(host, 22);
    }

    /** The SHA256 fingerprint of the {@code type} key the server presents, by ssh-keyscan and ssh-keygen alone. */
    private static String sshKeygenFingerprint(String host, String type) throws Exception {
        Path scanned = Files.writeString(dir.resolve("scanned-" + UUID.randomUUID()),
                OpenSsh.run(OpenSsh.sshKeyscan(), "-p", "22", "-t", type, host).assertSuccess().stdout());
        String listing = OpenSsh.run(OpenSsh.sshKeygen(), "-lf", scanned.toString()).assertSuccess().stdout();
        assertThat(listing.strip().lines()).hasSize(1);
        return listing.split(" ")[1];
    }

    /** {@code ecdsa-sha2-nistp256} → {@code ecdsa}: the emulator's name of the host key type for an algorithm. */
    private static String keyTypeOf(String hostKeyAlgorithm) {
        if (hostKeyAlgorithm.startsWith("ecdsa-")) {
            return "ecdsa";
        }
        return hostKeyAlgorithm.equals("ssh-ed25519") ? "ed25519" : "rsa";
    }

    private static Path knownHostsFile(VerifiedVm vm) throws Exception {
        return Files.write(dir.resolve("known_hosts-" + vm.vm().name() + "-" + UUID.randomUUID()),
                vm.knownHostsLines());
    }

    /**
     * The real ssh as a careful user runs it: no config, only our known_hosts, no prompt, only our key.
     *
     * @param hostKeyAlgorithm the only host key algorithm to offer, or empty for OpenSSH's choice
     */
    private static OpenSsh.Result openSsh(VerifiedVm vm, Path knownHosts, String hostKeyAlgorithm, String command)
            throws Exception {
        Path key = dir.resolve("id-" + UUID.randomUUID());
        KeyPairFiles.write(key, new PrivateKeyEncoder().encode(ed25519, PrivateKeyFormat.OPENSSH, null),
                ed25519.publicKey(), false);
        List<String> line = new ArrayList<>(List.of(OpenSsh.ssh().toString(), "-F", "/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10", "-i", key.toString()));
        if (!hostKeyAlgorithm.isEmpty()) {
            line.addAll(List.of("-o", "HostKeyAlgorithms=" + hostKeyAlgorithm));
        }
        line.addAll(List.of(vm.vm().adminUsername() + "@" + vm.vm().host(), command));
        return OpenSsh.run(line, Map.of(), null, null);
    }

    /** Whether {@code path} exists on the VM, asked out of band through run-command (which then removes it). */
    private static String markerOnVm(VerifiedVm vm, String path) {
        String message = runCommand.runShellScript(vm.vm(), List.of("test -e " + path + " && echo present"
                + " || echo absent", "rm -f " + path), TIMEOUT);
        return message.substring(message.indexOf("[stdout]\n") + 9, message.indexOf("\n[stderr]")).strip();
    }

    /**
     * Requests by kind: the method and the resource type (with a trailing action), e.g. {@code PUT
     * networkSecurityGroups} or {@code POST virtualMachines/runCommand}.
     */
    private static Map<String, Long> kinds(List<LoggedRequest> requests) {
        return requests.stream().collect(Collectors.groupingBy(VerifiedVmLauncherTest::kind, TreeMap::new,
                Collectors.counting()));
    }

    private static String kind(LoggedRequest request) {
        List<String> segments = new ArrayList<>(Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty())
                .toList());
        for (int i = segments.indexOf("providers"); i >= 0; i = segments.indexOf("providers")) {
            segments.subList(i, Math.min(i + 2, segments.size())).clear();
        }
        List<String> types = IntStream.range(0, segments.size()).filter(i -> i % 2 == 0).mapToObj(segments::get)
                .toList();
        String type = types.size() > 2 ? String.join("/", types.subList(2, types.size())) : types.get(types.size() - 1);
        return request.method() + " " + type;
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
