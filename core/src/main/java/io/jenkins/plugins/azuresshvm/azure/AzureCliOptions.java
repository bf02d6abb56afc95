package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The CLI's global Azure options, each nullable: a cloud by name or a custom ARM endpoint, a CA certificate (PEM) to
 * trust besides the JVM's, and the subscription.
 *
 * @param cloud {@code AzureCloud} (default), {@code AzureChinaCloud} or {@code AzureUSGovernment}
 * @param armEndpoint a custom ARM endpoint (Azure Stack, the emulator) instead of a cloud
 * @param caCertificate a PEM file of CA certificates to trust as well
 * @param subscription the subscription id; default {@code AZURE_SUBSCRIPTION_ID}
 */
public record AzureCliOptions(String cloud, URI armEndpoint, Path caCertificate, String subscription) {

    public static final String ACCESS_TOKEN_VARIABLE = "AZURE_ACCESS_TOKEN";
    public static final String SUBSCRIPTION_VARIABLE = "AZURE_SUBSCRIPTION_ID";
    public static final String TENANT_VARIABLE = "AZURE_TENANT_ID";

    public AzureCliOptions {
        if (cloud != null && armEndpoint != null) {
            throw new IllegalArgumentException("give a cloud name or an ARM endpoint URL, not both");
        }
    }

    /**
     * Access as these options and {@code environment} say: the bearer token in {@code AZURE_ACCESS_TOKEN} when set,
     * else {@code DefaultAzureCredential}; the JDK HTTP client.
     *
     * @throws IllegalArgumentException when no subscription is given, or an option is invalid
     * @throws IOException when the CA certificate file cannot be read
     */
    public AzureAccess connect(Map<String, String> environment) throws IOException {
        AzureEnvironment azure = armEndpoint != null ? AzureClouds.withArmEndpoint(armEndpoint)
                : AzureClouds.byName(cloud == null ? "AzureCloud" : cloud);
        HttpClient http = caCertificate == null ? TrustingHttpClients.jdk()
                : TrustingHttpClients.jdkTrusting(caCertificate);
        AzureProfile profile = new AzureProfile(nonBlank(environment.get(TENANT_VARIABLE)),
                subscription(environment), azure);
        return AzureAccess.of(credential(environment, azure, http), http, profile);
    }

    private String subscription(Map<String, String> environment) {
        String id = subscription != null ? nonBlank(subscription) : nonBlank(environment.get(SUBSCRIPTION_VARIABLE));
        if (id == null) {
            throw new IllegalArgumentException("no subscription: give --subscription or set " + SUBSCRIPTION_VARIABLE);
        }
        return id;
    }

    private static TokenCredential credential(Map<String, String> environment, AzureEnvironment azure,
            HttpClient http) {
        String token = nonBlank(environment.get(ACCESS_TOKEN_VARIABLE));
        if (token != null) {
            return new FixedTokenCredential(token);
        }
        return new DefaultAzureCredentialBuilder().authorityHost(azure.getActiveDirectoryEndpoint())
                .httpClient(http).build();
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
