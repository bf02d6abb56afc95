package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.management.AzureEnvironment;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The Azure clouds by the names the az CLI uses, and custom ARM endpoints (Azure Stack, the emulator). */
public final class AzureClouds {
    private static final Map<String, AzureEnvironment> BY_NAME = Map.of(
            "azurecloud", AzureEnvironment.AZURE,
            "azurechinacloud", AzureEnvironment.AZURE_CHINA,
            "azureusgovernment", AzureEnvironment.AZURE_US_GOVERNMENT);

    private AzureClouds() {}

    /**
     * The cloud named {@code AzureCloud}, {@code AzureChinaCloud} or {@code AzureUSGovernment} (any case).
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    public static AzureEnvironment byName(String name) {
        AzureEnvironment cloud = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (cloud == null) {
            throw new IllegalArgumentException("unknown cloud '" + name
                    + "'; use AzureCloud, AzureChinaCloud or AzureUSGovernment, or a custom ARM endpoint URL");
        }
        return cloud;
    }

    /**
     * The public cloud's endpoints with ARM at {@code armEndpoint}, which must be HTTPS (the SDK sends bearer tokens
     * over HTTPS only).
     */
    public static AzureEnvironment withArmEndpoint(URI armEndpoint) {
        if (!"https".equalsIgnoreCase(armEndpoint.getScheme()) || armEndpoint.getHost() == null) {
            throw new IllegalArgumentException("ARM endpoint must be an https:// URL, got " + armEndpoint);
        }
        String url = armEndpoint.toString();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", url.endsWith("/") ? url : url + "/");
        return new AzureEnvironment(endpoints);
    }
}
