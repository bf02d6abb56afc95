package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ARM's wire shapes, seen through raw HTTPS. */
class ArmProtocolTest {

    private static final String API = "?api-version=2025-04-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder()
            .runtime(FakeVmRuntime::new));

    private static String group;

    @BeforeAll
    static void group(ArmEmulator emulator) throws Exception {
        group = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/rg-raw";
        assertThat(Sdk.raw(emulator, "PUT", group + API, "t", "{\"location\":\"westeurope\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void listensOnLoopbackOnlyWithItsOwnCa(ArmEmulator emulator) throws Exception {
        assertThat(emulator.endpoint().toString()).matches("https://127\\.0\\.0\\.1:\\d+/");
        assertThat(emulator.caCertificatePem()).content().startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(emulator.trustStore()).isRegularFile();
    }

    @Test
    void refusesRequestsWithoutBearerToken(ArmEmulator emulator) throws Exception {
        HttpResponse<String> response = Sdk.raw(emulator, "GET", group + API, null, null);
        assertError(response, 401, "AuthenticationFailed");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
        assertError(Sdk.raw(emulator, "GET", group + API, " ", null), 401, "InvalidAuthenticationToken");
    }

    @Test
    void requiresAWellFormedApiVersion(ArmEmulator emulator) throws Exception {
        assertError(Sdk.raw(emulator, "GET", group, "t", null), 400, "MissingApiVersionParameter");
        assertError(Sdk.raw(emulator, "GET", group + "?api-version=latest", "t", null), 400,
                "InvalidApiVersionParameter");
        assertThat(Sdk.raw(emulator, "GET", group + "?api-version=2099-01-01-preview", "t", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void answersUnknownThingsAsArmDoes(ArmEmulator emulator) throws Exception {
        String subscription = "/subscriptions/" + emulator.subscriptionId();
        assertError(Sdk.raw(emulator, "GET", subscription + "/resourceGroups/nope" + API, "t", null), 404,
                "ResourceGroupNotFound");
        assertError(Sdk.raw(emulator, "GET", group + "/providers/Microsoft.Network/publicIPAddresses/nope" + API,
                "t", null), 404, "ResourceNotFound");
        assertError(Sdk.raw(emulator, "GET", "/subscriptions/other/resourceGroups/rg-raw" + API, "t", null), 404,
                "SubscriptionNotFound");
        assertThat(Sdk.raw(emulator, "DELETE", group + "/providers/Microsoft.Compute/virtualMachines/nope" + API,
                "t", null).statusCode()).isEqualTo(204);
        assertError(Sdk.raw(emulator, "GET", group + "/providers/Microsoft.Web/sites/x" + API, "t", null), 501,
                "NotImplemented");
        assertError(Sdk.raw(emulator, "PUT", group + "/providers/Microsoft.Network/publicIPAddresses/ip" + API, "t",
                "{not json"), 400, "InvalidRequestContent");
    }

    @Test
    void runCommandIsAnOperationAndOneAtATime(ArmEmulator emulator) throws Exception {
        String vm = createVm(emulator, "vm-raw");
        String body = "{\"commandId\":\"RunShellScript\",\"script\":[\"sleep 1\",\"echo done\"],\"parameters\":[]}";

        HttpResponse<String> accepted = Sdk.raw(emulator, "POST", vm + "/runCommand" + API, "t", body);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
        String operation = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(operation).startsWith(emulator.endpoint() + "subscriptions/");
        assertThat(location).isEqualTo(operation + "&monitor=true");
        assertThat(accepted.headers().firstValue("Retry-After")).hasValue("1");

        assertError(Sdk.raw(emulator, "POST", vm + "/runCommand" + API, "t", body), 409, "Conflict");
        assertThat(Sdk.raw(emulator, "GET", relative(emulator, location), "t", null).statusCode()).isEqualTo(202);

        JsonNode status;
        HttpResponse<String> poll;
        do {
            Thread.sleep(50);
            poll = Sdk.raw(emulator, "GET", relative(emulator, operation), "t", null);
            status = JSON.readTree(poll.body());
            if (status.get("status").asText().equals("InProgress")) {
                // else the SDK polls again only after its default 30 s
                assertThat(poll.headers().firstValue("Retry-After")).as("while in progress").hasValue("1");
            }
        } while (status.get("status").asText().equals("InProgress"));
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
        JsonNode result = JSON.readTree(Sdk.raw(emulator, "GET", relative(emulator, location), "t", null).body());
        assertThat(result.at("/value/0/message").asText())
                .isEqualTo("Enable succeeded: \n[stdout]\ndone\n\n[stderr]\n\n");
        assertThat(result.at("/value/0/level").asText()).isEqualTo("Info");
        assertThat(result.at("/value/0/displayStatus").asText()).isEqualTo("Provisioning succeeded");
    }

    @Test
    void instanceViewSaysRunning(ArmEmulator emulator) throws Exception {
        String vm = createVm(emulator, "vm-view");
        JsonNode view = JSON.readTree(Sdk.raw(emulator, "GET", vm + "/instanceView" + API, "t", null).body());
        assertThat(view.get("statuses")).extracting(status -> status.get("code").asText())
                .containsExactly("ProvisioningState/succeeded", "PowerState/running");
        JsonNode expanded = JSON.readTree(Sdk.raw(emulator, "GET", vm + API + "&$expand=instanceView", "t", null)
                .body());
        assertThat(expanded.at("/properties/instanceView/statuses/1/code").asText()).isEqualTo("PowerState/running");
        assertThat(expanded.at("/properties/osProfile/adminPassword").isMissingNode()).isTrue();
    }

    private static String createVm(ArmEmulator emulator, String name) throws Exception {
        String network = group + "/providers/Microsoft.Network";
        put(emulator, network + "/virtualNetworks/" + name + "-net", "{\"location\":\"westeurope\",\"properties\":"
                + "{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/24\"]},\"subnets\":[{\"name\":\"default\","
                + "\"properties\":{\"addressPrefix\":\"10.0.0.0/24\"}}]}}");
        put(emulator, network + "/networkInterfaces/" + name + "-nic", "{\"location\":\"westeurope\",\"properties\":"
                + "{\"ipConfigurations\":[{\"name\":\"ip1\",\"properties\":{\"subnet\":{\"id\":\"" + network
                + "/virtualNetworks/" + name + "-net/subnets/default\"}}}]}}");
        String vm = group + "/providers/Microsoft.Compute/virtualMachines/" + name;
        put(emulator, vm, "{\"location\":\"westeurope\",\"properties\":{\"osProfile\":{\"adminUsername\":"
                + "\"azureuser\",\"adminPassword\":\"secret-Pa55\",\"linuxConfiguration\":{\"ssh\":{\"publicKeys\":"
                + "[{\"path\":\"/home/azureuser/.ssh/authorized_keys\",\"keyData\":\"" + SshKeys.ed25519()
                + "\"}]}}},\"networkProfile\":{\"networkInterfaces\":[{\"id\":\"" + network + "/networkInterfaces/"
                + name + "-nic\"}]}}}");
        return vm;
    }

    private static void put(ArmEmulator emulator, String path, String body) throws Exception {
        HttpResponse<String> response = Sdk.raw(emulator, "PUT", path + API, "t", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    }

    private static String relative(ArmEmulator emulator, String url) {
        return "/" + url.substring(emulator.endpoint().toString().length());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo(code);
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
    }
}
