package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.resources.ResourceManager;
import java.util.Objects;

/**
 * How to reach Azure Resource Manager: the compute, network and resource managers of one subscription, sharing one
 * HTTP pipeline. The SDK's default management pipeline retries 429 and 5xx answers honouring {@code Retry-After}.
 */
public final class AzureAccess {
    private final ComputeManager compute;
    private final AzureProfile profile;

    private AzureAccess(ComputeManager compute, AzureProfile profile) {
        this.compute = compute;
        this.profile = profile;
    }

    /**
     * Access through the caller's credential and HTTP client (Jenkins: the azure-sdk plugin's Netty client).
     *
     * @param profile the cloud's endpoints and the subscription
     */
    public static AzureAccess of(TokenCredential credential, HttpClient httpClient, AzureProfile profile) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(profile.getSubscriptionId(), "profile's subscription id");
        return new AzureAccess(ComputeManager.configure().withHttpClient(httpClient).authenticate(credential, profile),
                profile);
    }

    public ComputeManager compute() {
        return compute;
    }

    public NetworkManager network() {
        return compute.networkManager();
    }

    public ResourceManager resources() {
        return compute.resourceManager();
    }

    public String subscriptionId() {
        return profile.getSubscriptionId();
    }

    /** The ARM endpoint, e.g. {@code https://management.azure.com/}. */
    public String armEndpoint() {
        return profile.getEnvironment().getResourceManagerEndpoint();
    }
}
