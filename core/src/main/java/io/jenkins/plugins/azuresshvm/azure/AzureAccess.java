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
 * HTTP pipeline, whose retries and response timeout are bounded by {@link ArmRetries}.
 */
public final class AzureAccess {
    private final ComputeManager compute;
    private final AzureProfile profile;
    private final ArmRetries retries;

    private AzureAccess(ComputeManager compute, AzureProfile profile, ArmRetries retries) {
        this.compute = compute;
        this.profile = profile;
        this.retries = retries;
    }

    /**
     * Access through the caller's credential and HTTP client (Jenkins: the azure-sdk plugin's Netty client), with
     * {@link ArmRetries#defaults()}.
     *
     * @param profile the cloud's endpoints and the subscription
     */
    public static AzureAccess of(TokenCredential credential, HttpClient httpClient, AzureProfile profile) {
        return of(credential, httpClient, profile, ArmRetries.defaults());
    }

    /** {@link #of(TokenCredential, HttpClient, AzureProfile)} retrying and timing out as {@code retries} say. */
    public static AzureAccess of(TokenCredential credential, HttpClient httpClient, AzureProfile profile,
            ArmRetries retries) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(profile.getSubscriptionId(), "profile's subscription id");
        Objects.requireNonNull(retries, "retries");
        return new AzureAccess(ComputeManager.configure().withHttpClient(httpClient)
                .withRetryPolicy(retries.retryPolicy()).withPolicy(retries.responseTimeoutPolicy())
                .authenticate(credential, profile), profile, retries);
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

    /** How requests and clean-up deletes are retried. */
    public ArmRetries retries() {
        return retries;
    }

    public String subscriptionId() {
        return profile.getSubscriptionId();
    }

    /** The ARM endpoint, e.g. {@code https://management.azure.com/}. */
    public String armEndpoint() {
        return profile.getEnvironment().getResourceManagerEndpoint();
    }
}
