package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.BinaryData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Microsoft Defender for Cloud's just-in-time VM access (Microsoft.Security REST, api-version 2020-01-01, sent through
 * the SDK manager's HTTP pipeline as there is no SDK client): one policy per VM, {@code <vm>-jit}, for its SSH port
 * and one source, and requests opening that port to that source for a while.
 */
final class JitAccess {
    /** The longest a request may keep the port open: Azure's default for a policy. */
    static final Duration MAX_ACCESS = Duration.ofHours(3);
    private static final String API_VERSION = "2020-01-01";

    private final AzureAccess azure;

    JitAccess(AzureAccess azure) {
        this.azure = azure;
    }

    /** The id of the policy {@code policyName} in a group and region. */
    static String policyId(String subscriptionId, String resourceGroup, String region, String policyName) {
        return scope(subscriptionId, resourceGroup, region) + "/" + policyName;
    }

    /** The name of our policy for VM {@code vmName}. */
    static String policyName(String vmName) {
        return vmName + "-jit";
    }

    private static String scope(String subscriptionId, String resourceGroup, String region) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Security/locations/" + region + "/jitNetworkAccessPolicies";
    }

    /**
     * Lists the group's policies in {@code region}, which fails at once, before anything is created, when the
     * subscription's plan has no just-in-time access.
     */
    Mono<Void> checkAvailable(String resourceGroup, String region) {
        return send(HttpMethod.GET, scope(azure.subscriptionId(), resourceGroup, region), null, false).then();
    }

    /** Creates or replaces the policy letting {@code source} request the VM's {@code port} for {@link #MAX_ACCESS}. */
    Mono<String> ensurePolicy(String resourceGroup, String region, String vmName, String vmResourceId, int port,
            String source) {
        String id = policyId(azure.subscriptionId(), resourceGroup, region, policyName(vmName));
        Map<String, Object> body = Map.of("kind", "Basic", "properties", Map.of("virtualMachines", List.of(Map.of(
                "id", vmResourceId,
                "ports", List.of(Map.of("number", port, "protocol", "TCP", "allowedSourceAddressPrefix", source,
                        "maxRequestAccessDuration", MAX_ACCESS.toString()))))));
        return send(HttpMethod.PUT, id, body, false).thenReturn(id);
    }

    /** Asks the policy to open the VM's {@code port} to {@code source} for {@link #MAX_ACCESS}. */
    Mono<Void> requestAccess(String policyId, String vmResourceId, int port, String source) {
        Map<String, Object> body = Map.of("virtualMachines", List.of(Map.of("id", vmResourceId,
                "ports", List.of(Map.of("number", port, "duration", MAX_ACCESS.toString(),
                        "allowedSourceAddressPrefix", source)))),
                "justification", "azure-ssh-vm: first connection to the VM");
        return send(HttpMethod.POST, policyId + "/initiate", body, false).then();
    }

    /** Deletes the policy; one already gone counts as deleted. */
    Mono<Void> deletePolicy(String policyId) {
        return send(HttpMethod.DELETE, policyId, null, true).then();
    }

    private Mono<String> send(HttpMethod method, String path, Map<String, Object> body, boolean notFoundIsDone) {
        String endpoint = azure.armEndpoint().replaceAll("/+$", "");
        HttpRequest request = new HttpRequest(method, endpoint + path + "?api-version=" + API_VERSION);
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(BinaryData.fromObject(body));
        }
        return azure.compute().httpPipeline().send(request).flatMap(response -> response.getBodyAsString()
                .defaultIfEmpty("").flatMap(text -> {
                    int status = response.getStatusCode();
                    response.close();
                    if (status / 100 == 2 || (notFoundIsDone && status == 404)) {
                        return Mono.just(text);
                    }
                    return Mono.error(new AzureVmException("just-in-time VM access (" + method + " " + path
                            + ") answered " + status + " " + errorOf(text)));
                }));
    }

    /** {@code CODE: message} of an ARM error body, else the body. */
    @SuppressWarnings("unchecked")
    private static String errorOf(String body) {
        try {
            Object error = BinaryData.fromString(body).toObject(Map.class).get("error");
            if (error instanceof Map<?, ?> fields) {
                return fields.get("code") + ": " + fields.get("message");
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw body
        }
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }
}
