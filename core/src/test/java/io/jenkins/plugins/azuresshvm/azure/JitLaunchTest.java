package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.JitAccessRequest;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Just-in-time VM access end to end against the ARM emulator (real SDK over HTTPS, real sshd): the launcher requests
 * SSH access for the spec's source before anything connects to the VM's SSH port, the policy is deleted with the VM,
 * and a subscription without Defender for Servers fails before anything is created.
 */
class JitLaunchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "rg-jit";
    private static final String SOURCE = "127.0.0.1/32";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static AzureVmProvisioner provisioner;
    private static VerifiedVmLauncher launcher;
    private static SshKeyPair key;

    @BeforeAll
    static void startEmulator() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        launcher = Emulators.launcher(azure, provisioner);
        key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "jit@test");
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void requestsAccessForTheSourceBeforeTheFirstSshConnectionAndDeletesThePolicyWithTheVm() throws Exception {
        VerifiedVm vm = launcher.launch(spec("vm-jit").build(), TIMEOUT, step -> {});
        String policyId = vm.vm().jitPolicyId();
        assertThat(policyId).endsWith("/resourceGroups/" + GROUP
                + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/vm-jit-jit");
        try (VerifiedSshClient ssh = new VerifiedSshClient();
                VerifiedSession session = ssh.connect(vm.vm().host(), vm.vm().sshPort(), vm.vm().adminUsername(),
                        vm.hostKeys(), key, TIMEOUT)) {
            assertThat(session.presentedHostKey()).isIn(vm.hostKeys().keys());
        }

        JitAccessRequest request = arm.jitRequests().stream().filter(r -> r.policyId().equals(policyId))
                .reduce((first, second) -> first).orElseThrow();
        assertThat(request.vmId()).isEqualTo(vm.vm().vmResourceId());
        assertThat(request.port()).isEqualTo(22);
        assertThat(request.allowedSourceAddressPrefix()).isEqualTo(SOURCE);
        List<SshConnection> connections = arm.sshConnections("vm-jit");
        assertThat(connections).as("the port wait's and the verified session's connections").hasSizeGreaterThan(1);
        assertThat(request.time()).as("JIT initiate vs. first connection sshd logged")
                .isBefore(connections.get(0).time());
        assertThat(status(HttpMethod.GET, policyId)).isEqualTo(200);

        ProvisionedVm found = new VmLookup(azure).read(GROUP, "vm-jit", TIMEOUT);
        assertThat(found.jitPolicyId()).as("from the VM's tag").isEqualTo(policyId);
        provisioner.delete(found, TIMEOUT);

        assertThat(status(HttpMethod.GET, policyId)).as("policy after the VM's delete").isEqualTo(404);
        assertThat(arm.inventory()).extracting(LiveResource::type).containsOnly("Microsoft.Resources/resourceGroups");
    }

    @Test
    void aSubscriptionWithoutDefenderForServersFailsBeforeAnythingIsCreated() throws Exception {
        try (ArmEmulator noJit = Emulators.startOrSkip(ArmEmulator.builder().jitAvailable(false))) {
            AzureAccess access = Emulators.access(noJit);
            VerifiedVmLauncher noJitLauncher = new VerifiedVmLauncher(
                    new AzureVmProvisioner(access, Duration.ofMillis(100), Clock.systemUTC()),
                    new RunCommandHostKeyProbe(new RunCommand(access, Duration.ofMillis(200))));

            ProvisioningException e = catchThrowableOfType(ProvisioningException.class,
                    () -> noJitLauncher.launch(spec("vm-nojit").newResourceGroup("rg-nojit").build(), TIMEOUT,
                            step -> {}));

            assertThat(e.failedStep()).isEqualTo("checking just-in-time VM access in resource group rg-nojit");
            assertThat(e).hasMessageContaining("Microsoft Defender for Servers")
                    .hasMessageContaining("deleted resource group rg-nojit");
            assertThat(noJit.inventory()).isEmpty();
            assertThat(noJit.jitRequests()).isEmpty();
            assertThat(noJit.requestLog()).noneMatch(logged -> logged.path().contains("Microsoft.Network")
                    || logged.path().contains("Microsoft.Compute"));
        }
    }

    @Test
    void aSpecOpenToAnySourceCannotUseJit() {
        assertThat(catchThrowableOfType(InvalidVmSpecException.class,
                () -> spec("vm-any").sshSource(VmSpec.ANY_SOURCE).build()))
                .hasMessageContaining("jit: just-in-time access opens SSH to one source");
    }

    @Test
    void withJitTheVmKeepsRoomForItsPolicyTag() {
        VmSpec.Builder full = spec("vm-tags");
        for (int i = 0; i < 48; i++) {
            full.tag("t" + i, "v");
        }

        assertThat(catchThrowableOfType(InvalidVmSpecException.class, full::build))
                .hasMessageContaining("tags: 48 tags; with jit at most 47");
        assertThat(full.jit(false).build().tags()).hasSize(48);
    }

    private static VmSpec.Builder spec(String name) {
        return VmSpec.builder().name(name).resourceGroup(GROUP).region(Emulators.REGION).sshKeys(key.publicKey())
                .sshSource(SOURCE).ownerId("tester@host").jit(true);
    }

    private static int status(HttpMethod method, String path) {
        HttpRequest request = new HttpRequest(method, arm.endpoint() + path.substring(1) + "?api-version=2020-01-01");
        try (HttpResponse response = azure.compute().httpPipeline().send(request).block()) {
            return response.getStatusCode();
        }
    }
}
