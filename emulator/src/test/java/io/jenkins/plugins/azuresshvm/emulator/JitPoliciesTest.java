package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Just-in-time VM access (Microsoft.Security, no SDK client) sent through the SDK's HTTP pipeline, as the product
 * sends it. See {@link RealSshdVmTest} for the request time against a real sshd's first connection.
 */
class JitPoliciesTest {

    static final String API = "?api-version=2020-01-01";
    private static final String GROUP = "rg-jit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder().runtime(FakeVmRuntime::new));

    private static ComputeManager compute;
    private static VirtualMachine vm;

    @BeforeAll
    static void vm(ArmEmulator emulator) throws Exception {
        compute = Sdk.compute(emulator);
        compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();
        vm = Sdk.createVm(compute, GROUP, "vm-jit", "azureuser", List.of(SshKeys.ed25519()));
    }

    @Test
    void storesAPolicyAndRecordsAnInitiatedRequest(ArmEmulator emulator) throws Exception {
        Sdk.RestResponse put = send(emulator, HttpMethod.PUT, policy(emulator, GROUP, "jit-record"),
                policyBody(vm.id(), 22, "PT3H"));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode stored = JSON.readTree(send(emulator, HttpMethod.GET, policy(emulator, GROUP, "jit-record"), null)
                .body());
        assertThat(stored.get("type").asText()).isEqualTo("Microsoft.Security/locations/jitNetworkAccessPolicies");
        assertThat(stored.at("/properties/virtualMachines/0/ports/0/maxRequestAccessDuration").asText())
                .isEqualTo("PT3H");
        assertThat(stored.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");

        Instant before = Instant.now();
        Sdk.RestResponse initiated = send(emulator, HttpMethod.POST, policy(emulator, GROUP, "jit-record")
                + "/initiate", initiateBody(vm.id(), 22, "PT1H", "1.2.3.4"));

        assertThat(initiated.status()).as(initiated.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(initiated.body());
        assertThat(answer.at("/virtualMachines/0/id").asText()).isEqualTo(vm.id());
        assertThat(answer.at("/virtualMachines/0/ports/0/allowedSourceAddressPrefix").asText()).isEqualTo("1.2.3.4");
        assertThat(answer.at("/virtualMachines/0/ports/0/status").asText()).isEqualTo("Initiated");
        assertThat(answer.get("justification").asText()).isEqualTo("emulator test");
        assertThat(emulator.jitRequests()).filteredOn(r -> r.policyId().endsWith("/jit-record")).singleElement()
                .satisfies(request -> {
                    assertThat(request.vmId()).isEqualTo(vm.id());
                    assertThat(request.port()).isEqualTo(22);
                    assertThat(request.allowedSourceAddressPrefix()).isEqualTo("1.2.3.4");
                    assertThat(request.duration()).isEqualTo(Duration.ofHours(1));
                    assertThat(request.time()).isBetween(before, Instant.now());
                });
        assertThat(JSON.readTree(send(emulator, HttpMethod.GET, policy(emulator, GROUP, "jit-record"), null).body())
                .at("/properties/requests")).hasSize(1);

        assertThat(send(emulator, HttpMethod.DELETE, policy(emulator, GROUP, "jit-record"), null).status())
                .isEqualTo(200);
        assertThat(send(emulator, HttpMethod.GET, policy(emulator, GROUP, "jit-record"), null).status())
                .isEqualTo(404);
    }

    @Test
    void refusesARequestThePolicyDoesNotAllow(ArmEmulator emulator) throws Exception {
        String policy = policy(emulator, GROUP, "jit-refuse");
        assertThat(send(emulator, HttpMethod.PUT, policy, policyBody(vm.id(), 22, "PT3H")).status()).isEqualTo(200);
        String otherVm = vm.id().replace("/vm-jit", "/vm-other");

        Sdk.RestResponse otherPort = send(emulator, HttpMethod.POST, policy + "/initiate",
                initiateBody(vm.id(), 2222, "PT1H", "1.2.3.4"));
        Sdk.RestResponse notInPolicy = send(emulator, HttpMethod.POST, policy + "/initiate",
                initiateBody(otherVm, 22, "PT1H", "1.2.3.4"));
        Sdk.RestResponse tooLong = send(emulator, HttpMethod.POST, policy + "/initiate",
                initiateBody(vm.id(), 22, "PT4H", "1.2.3.4"));

        assertThat(otherPort.status()).isEqualTo(400);
        assertThat(otherPort.body()).contains("port 2222 of virtual machine " + vm.id());
        assertThat(notInPolicy.status()).isEqualTo(400);
        assertThat(notInPolicy.body()).contains("vm-other", "is not in the just-in-time policy");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("PT4H", "PT3H");
        assertThat(emulator.jitRequests()).noneMatch(r -> r.policyId().endsWith("/jit-refuse"));

        Sdk.RestResponse missingVm = send(emulator, HttpMethod.PUT, policy(emulator, GROUP, "jit-missing"),
                policyBody(otherVm, 22, "PT3H"));
        assertThat(missingVm.status()).isEqualTo(400);
        assertThat(missingVm.body()).contains("vm-other", "does not exist");
    }

    @Test
    void answers400NamingDefenderForServersWhenJitIsNotAvailable() throws Exception {
        try (ArmEmulator withoutDefender = ArmEmulator.builder().runtime(FakeVmRuntime::new).jitAvailable(false)
                .start()) {
            ComputeManager sdk = Sdk.compute(withoutDefender);
            sdk.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();

            Sdk.RestResponse put = Sdk.rest(sdk, withoutDefender, HttpMethod.PUT,
                    policy(withoutDefender, GROUP, "default") + API, policyBody(vm.id(), 22, "PT3H"));

            assertThat(put.status()).isEqualTo(400);
            assertThat(put.body()).contains("Microsoft Defender for Servers");
            assertThat(withoutDefender.jitRequests()).isEmpty();
        }
    }

    static String policy(ArmEmulator emulator, String group, String name) {
        return "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + group
                + "/providers/Microsoft.Security/locations/" + Sdk.REGION.name()
                + "/jitNetworkAccessPolicies/" + name;
    }

    static String policyBody(String vmId, int port, String maxDuration) {
        return """
                {"kind":"Basic","properties":{"virtualMachines":[{"id":"%s","ports":[{"number":%d,"protocol":"*",\
                "allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"%s"}]}]}}""".formatted(vmId, port,
                maxDuration);
    }

    static String initiateBody(String vmId, int port, String duration, String source) {
        return """
                {"virtualMachines":[{"id":"%s","ports":[{"number":%d,"duration":"%s",\
                "allowedSourceAddressPrefix":"%s"}]}],"justification":"emulator test"}""".formatted(vmId, port,
                duration, source);
    }

    private static Sdk.RestResponse send(ArmEmulator emulator, HttpMethod method, String path, String body) {
        return Sdk.rest(compute, emulator, method, path + API, body);
    }
}
