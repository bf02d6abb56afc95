package io.jenkins.plugins.azuresshvm.emulator;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.DeleteOptions;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.PublicIPSkuType;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.fluentcore.model.Creatable;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;

/** The real Azure SDK pointed at an emulator, and raw HTTPS to it. */
final class Sdk {

    static final Region REGION = Region.EUROPE_WEST;

    static {
        // LRO polls as fast as the emulator answers (it says Retry-After: 1)
        ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(20));
    }

    private Sdk() {}

    /** Trusts only the emulator's CA, read from its PKCS12 trust store. */
    static SSLContext trusting(ArmEmulator emulator) throws IOException, GeneralSecurityException {
        return trusting(emulator.trustStore(), emulator.trustStorePassword());
    }

    /** Trusts only the CAs in a PKCS12 trust store (e.g. the one an emulator in another JVM printed). */
    static SSLContext trusting(Path trustStoreFile, String password) throws IOException, GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStoreFile)) {
            trustStore.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    static ComputeManager compute(ArmEmulator emulator) throws IOException, GeneralSecurityException {
        return compute(emulator.endpoint(), emulator.subscriptionId(), trusting(emulator));
    }

    /** The SDK against an emulator known only by what it printed (e.g. {@code Main} in another JVM). */
    static ComputeManager compute(URI endpoint, String subscriptionId, SSLContext tls) {
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls)).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", endpoint.toString());
        AzureProfile profile = new AzureProfile("00000000-0000-0000-0000-0000000000aa", subscriptionId,
                new AzureEnvironment(endpoints));
        TokenCredential credential = request -> Mono.just(new AccessToken("emulator-token",
                OffsetDateTime.now().plusHours(1)));
        return ComputeManager.configure().withHttpClient(http).authenticate(credential, profile);
    }

    /** Creates a VM the way the product does: Standard static IP, NSG allowing SSH from here, NIC, delete options. */
    static VirtualMachine createVm(ComputeManager compute, String resourceGroup, String name, String adminUsername,
            List<String> keys) {
        return createVm(compute, resourceGroup, name, adminUsername, keys, Map.of(), null);
    }

    /** {@link #createVm(ComputeManager, String, String, String, List)} with {@code tags} on the VM. */
    static VirtualMachine createVm(ComputeManager compute, String resourceGroup, String name, String adminUsername,
            List<String> keys, Map<String, String> tags) {
        return createVm(compute, resourceGroup, name, adminUsername, keys, tags, null);
    }

    /** {@link #createVm(ComputeManager, String, String, String, List)} with {@code osProfile.customData} (base64). */
    static VirtualMachine createVm(ComputeManager compute, String resourceGroup, String name, String adminUsername,
            List<String> keys, String customData) {
        return createVm(compute, resourceGroup, name, adminUsername, keys, Map.of(), customData);
    }

    /** A VM with {@code tags} and {@code customData} ({@code null}: none). */
    static VirtualMachine createVm(ComputeManager compute, String resourceGroup, String name, String adminUsername,
            List<String> keys, Map<String, String> tags, String customData) {
        var network = compute.networkManager();
        PublicIpAddress ip = network.publicIpAddresses().define(name + "-ip").withRegion(REGION)
                .withExistingResourceGroup(resourceGroup).withSku(PublicIPSkuType.STANDARD).withStaticIP().create();
        NetworkSecurityGroup nsg = network.networkSecurityGroups().define(name + "-nsg").withRegion(REGION)
                .withExistingResourceGroup(resourceGroup)
                .defineRule("ssh").allowInbound().fromAddress("127.0.0.1").fromAnyPort().toAnyAddress().toPort(22)
                .withProtocol(SecurityRuleProtocol.TCP).withPriority(100).attach()
                .create();
        Creatable<NetworkInterface> nic = network.networkInterfaces().define(name + "-nic").withRegion(REGION)
                .withExistingResourceGroup(resourceGroup).withNewPrimaryNetwork("10.0.0.0/24")
                .withPrimaryPrivateIPAddressDynamic().withExistingPrimaryPublicIPAddress(ip)
                .withExistingNetworkSecurityGroup(nsg);
        var linux = compute.virtualMachines().define(name).withRegion(REGION).withExistingResourceGroup(resourceGroup)
                .withNewPrimaryNetworkInterface(nic)
                .withLatestLinuxImage("Canonical", "ubuntu-24_04-lts", "server")
                .withRootUsername(adminUsername)
                .withSsh(keys.get(0));
        for (String key : keys.subList(1, keys.size())) {
            linux = linux.withSsh(key);
        }
        VirtualMachine.DefinitionStages.WithFromImageCreateOptionsManaged options = linux;
        if (customData != null) {
            options = options.withCustomData(customData);
        }
        return options.withComputerName(name).withSize(VirtualMachineSizeTypes.STANDARD_B1S)
                .withOSDiskDeleteOptions(DeleteOptions.DELETE)
                .withPrimaryNetworkInterfaceDeleteOptions(DeleteOptions.DELETE)
                .withTags(tags)
                .create();
    }

    /** An answer to {@link #rest}: status and body. */
    record RestResponse(int status, String body) {}

    /**
     * REST the SDK has no client for (Microsoft.Security), sent through the manager's own pipeline (its token, retry
     * and HTTP client), as the product sends it.
     */
    static RestResponse rest(ComputeManager compute, ArmEmulator emulator, HttpMethod method, String pathAndQuery,
            String body) {
        com.azure.core.http.HttpRequest request = new com.azure.core.http.HttpRequest(method,
                emulator.endpoint() + pathAndQuery.substring(1));
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
        if (body != null) {
            request.setBody(body);
        }
        try (com.azure.core.http.HttpResponse response = compute.httpPipeline().send(request).block()) {
            return new RestResponse(response.getStatusCode(), response.getBodyAsString().block());
        }
    }

    /** Raw HTTPS to the emulator; {@code token} null sends no Authorization header. */
    static HttpResponse<String> raw(ArmEmulator emulator, String method, String pathAndQuery, String token, String body)
            throws IOException, GeneralSecurityException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + pathAndQuery.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newBuilder().sslContext(trusting(emulator)).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
