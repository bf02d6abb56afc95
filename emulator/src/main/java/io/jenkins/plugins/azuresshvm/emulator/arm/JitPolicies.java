package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.JitAccessRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Microsoft Defender for Cloud's just-in-time VM access ({@code Microsoft.Security/locations/{loc}/
 * jitNetworkAccessPolicies}): policies are stored and checked, {@code initiate} is checked against its policy and
 * recorded (the emulator does not enforce NSGs, so nothing is opened). Policies are not ARM resources of the
 * generic lists or the inventory. Without the Defender for Servers plan every call is a 400.
 */
final class JitPolicies {

    static final String TYPE = "Microsoft.Security/locations/jitNetworkAccessPolicies";

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "*");
    private static final Duration MAX_DURATION = Duration.ofHours(24);

    private final String subscription;
    private final ResourceStore store;
    private final boolean available;
    private final Map<String, ObjectNode> policies = new ConcurrentHashMap<>();
    private final List<JitAccessRequest> requests = new CopyOnWriteArrayList<>();

    JitPolicies(String subscription, ResourceStore store, boolean available) {
        this.subscription = subscription;
        this.store = store;
        this.available = available;
    }

    List<JitAccessRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * {@code …/resourceGroups/{rg}/providers/Microsoft.Security/locations/{loc}/jitNetworkAccessPolicies[/{name}
     * [/initiate]]}; {@code null} when the request is none of these.
     */
    ArmResponse handle(ArmRequest request, String groupName) {
        List<String> s = request.segments();
        if (s.size() < 9 || !s.get(6).equalsIgnoreCase("locations")
                || !s.get(8).equalsIgnoreCase("jitNetworkAccessPolicies")) {
            return null;
        }
        if (!available) {
            throw new ArmError(400, "BadRequest", "Just-in-time VM access is not available on subscription "
                    + subscription + ": it needs the Microsoft Defender for Servers plan (Plan 2), which is not"
                    + " enabled. Enable Defender for Servers in Microsoft Defender for Cloud and retry.");
        }
        String location = s.get(7);
        String scope = ResourceId.resourceGroupId(subscription, groupName) + "/providers/Microsoft.Security/locations/"
                + location + "/jitNetworkAccessPolicies";
        String method = request.method();
        if (s.size() == 9 && method.equals("GET")) {
            ObjectNode answer = Json.object();
            ArrayNode value = answer.putArray("value");
            String prefix = scope.toLowerCase(Locale.ROOT) + "/";
            policies.forEach((key, policy) -> {
                if (key.startsWith(prefix)) {
                    value.add(copy(policy));
                }
            });
            return ArmResponse.of(200, answer);
        }
        if (s.size() < 10) {
            return null;
        }
        String id = scope + "/" + s.get(9);
        String key = id.toLowerCase(Locale.ROOT);
        if (s.size() == 10) {
            return switch (method) {
                case "PUT" -> put(id, s.get(9), location, request.json());
                case "GET" -> ArmResponse.of(200, copy(require(key, s.get(9))));
                case "DELETE" -> policies.remove(key) == null ? ArmResponse.empty(204) : ArmResponse.empty(200);
                default -> null;
            };
        }
        if (s.size() == 11 && s.get(10).equalsIgnoreCase("initiate") && method.equals("POST")) {
            return initiate(require(key, s.get(9)), request.json());
        }
        return null;
    }

    private ObjectNode require(String key, String name) {
        ObjectNode policy = policies.get(key);
        if (policy == null) {
            throw new ArmError(404, "NotFound", "The just-in-time network access policy '" + name
                    + "' was not found.");
        }
        return policy;
    }

    private static ObjectNode copy(ObjectNode policy) {
        synchronized (policy) {
            return policy.deepCopy();
        }
    }

    private ArmResponse put(String id, String name, String location, ObjectNode body) {
        String kind = body.path("kind").asText("Basic");
        if (!kind.equals("Basic")) {
            throw ArmError.invalidParameter("kind", "The kind of a just-in-time policy must be Basic, not '" + kind
                    + "'.");
        }
        JsonNode vms = body.at("/properties/virtualMachines");
        if (!vms.isArray() || vms.isEmpty()) {
            throw ArmError.invalidParameter("properties.virtualMachines", "A just-in-time policy needs at least one"
                    + " virtual machine.");
        }
        for (JsonNode vm : vms) {
            String vmId = Json.text(vm, "/id");
            ResourceId parsed = vmId == null ? null : ResourceId.parse(vmId);
            if (parsed == null || !parsed.providerType().equals(ResourceId.VM) || store.get(parsed) == null) {
                throw ArmError.invalidParameter("properties.virtualMachines.id", "Virtual machine '" + vmId
                        + "' of the just-in-time policy does not exist.");
            }
            JsonNode ports = vm.path("ports");
            if (!ports.isArray() || ports.isEmpty()) {
                throw ArmError.invalidParameter("properties.virtualMachines.ports", "Virtual machine " + vmId
                        + " needs at least one port in the just-in-time policy.");
            }
            for (JsonNode port : ports) {
                policyPort(vmId, port);
            }
        }
        ObjectNode policy = Json.object();
        policy.put("id", id);
        policy.put("name", name);
        policy.put("type", TYPE);
        policy.put("location", location);
        policy.put("kind", kind);
        ObjectNode properties = policy.putObject("properties");
        properties.set("virtualMachines", vms.deepCopy());
        ObjectNode existing = policies.get(id.toLowerCase(Locale.ROOT));
        properties.set("requests", existing == null ? Json.array() : copy(existing).at("/properties/requests"));
        properties.put("provisioningState", "Succeeded");
        policies.put(id.toLowerCase(Locale.ROOT), policy);
        return ArmResponse.of(200, copy(policy));
    }

    private static void policyPort(String vmId, JsonNode port) {
        int number = port.path("number").asInt(-1);
        String where = "port " + port.path("number") + " of virtual machine " + vmId;
        if (number < 1 || number > 65535) {
            throw ArmError.invalidParameter("ports.number", "The " + where + " is not a port number 1-65535.");
        }
        String protocol = port.path("protocol").asText("");
        if (!PROTOCOLS.contains(protocol)) {
            throw ArmError.invalidParameter("ports.protocol", "The protocol '" + protocol + "' of " + where
                    + " must be TCP, UDP or *.");
        }
        if (Json.text(port, "/allowedSourceAddressPrefix") == null
                && port.path("allowedSourceAddressPrefixes").isEmpty()) {
            throw ArmError.invalidParameter("ports.allowedSourceAddressPrefix", "The " + where
                    + " needs allowedSourceAddressPrefix or allowedSourceAddressPrefixes.");
        }
        duration(port, "maxRequestAccessDuration", where, MAX_DURATION);
    }

    /** An ISO-8601 duration of at least a minute and at most {@code max}. */
    private static Duration duration(JsonNode port, String field, String where, Duration max) {
        String text = port.path(field).asText("");
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ArmError.invalidParameter("ports." + field, "The " + field + " '" + text + "' of " + where
                    + " is not an ISO-8601 duration such as PT3H.");
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(max) > 0) {
            throw ArmError.invalidParameter("ports." + field, "The " + field + " " + text + " of " + where
                    + " must be between PT1M and " + max + ".");
        }
        return duration;
    }

    /** Checks each requested VM and port against the policy, records them and answers 202 with the request. */
    private ArmResponse initiate(ObjectNode policy, ObjectNode body) {
        Instant now = Instant.now();
        JsonNode vms = body.path("virtualMachines");
        if (!vms.isArray() || vms.isEmpty()) {
            throw ArmError.invalidParameter("virtualMachines", "A just-in-time request needs at least one virtual"
                    + " machine.");
        }
        String policyId = policy.get("id").asText();
        List<JitAccessRequest> accepted = new ArrayList<>();
        ObjectNode answer = Json.object();
        ArrayNode answerVms = answer.putArray("virtualMachines");
        for (JsonNode vm : vms) {
            String vmId = Json.text(vm, "/id");
            JsonNode policyVm = policyVm(policy, vmId);
            ObjectNode answerVm = answerVms.addObject();
            answerVm.put("id", vmId);
            ArrayNode answerPorts = answerVm.putArray("ports");
            for (JsonNode port : vm.path("ports")) {
                int number = port.path("number").asInt(-1);
                String where = "port " + port.path("number") + " of virtual machine " + vmId;
                JsonNode policyPort = policyPort(policyVm, number);
                if (policyPort == null) {
                    throw new ArmError(400, "BadRequest", "The just-in-time policy " + policyId + " does not allow"
                            + " requests for " + where + ".");
                }
                Duration max = Duration.parse(policyPort.get("maxRequestAccessDuration").asText());
                Duration duration = duration(port, "duration", where, max);
                String source = Json.text(port, "/allowedSourceAddressPrefix");
                if (source == null || !allowsSource(policyPort, source)) {
                    throw new ArmError(400, "BadRequest", "The source address prefix '" + source + "' of " + where
                            + " is not allowed by the just-in-time policy " + policyId + ".");
                }
                accepted.add(new JitAccessRequest(now, policyId, policyVm.get("id").asText(), number, source,
                        duration));
                ObjectNode answerPort = answerPorts.addObject();
                answerPort.put("number", number);
                answerPort.put("allowedSourceAddressPrefix", source);
                answerPort.put("endTimeUtc", now.plus(duration).toString());
                answerPort.put("status", "Initiated");
                answerPort.put("statusReason", "UserRequested");
            }
            if (answerPorts.isEmpty()) {
                throw ArmError.invalidParameter("virtualMachines.ports", "Virtual machine " + vmId
                        + " of the just-in-time request names no port.");
            }
        }
        answer.put("startTimeUtc", now.toString());
        answer.put("requestor", "emulator");
        if (Json.text(body, "/justification") != null) {
            answer.put("justification", Json.text(body, "/justification"));
        }
        synchronized (policy) {
            Json.withArray(TrackedResources.properties(policy), "requests").add(answer.deepCopy());
        }
        requests.addAll(accepted);
        return ArmResponse.of(202, answer);
    }

    private static JsonNode policyVm(ObjectNode policy, String vmId) {
        for (JsonNode vm : policy.at("/properties/virtualMachines")) {
            if (vm.path("id").asText().equalsIgnoreCase(vmId)) {
                return vm;
            }
        }
        throw new ArmError(400, "BadRequest", "Virtual machine '" + vmId + "' is not in the just-in-time policy "
                + policy.get("id").asText() + ".");
    }

    private static JsonNode policyPort(JsonNode policyVm, int number) {
        for (JsonNode port : policyVm.path("ports")) {
            if (port.path("number").asInt() == number) {
                return port;
            }
        }
        return null;
    }

    private static boolean allowsSource(JsonNode policyPort, String source) {
        if (source.equals(Json.text(policyPort, "/allowedSourceAddressPrefix"))
                || "*".equals(Json.text(policyPort, "/allowedSourceAddressPrefix"))) {
            return true;
        }
        for (JsonNode prefix : policyPort.path("allowedSourceAddressPrefixes")) {
            if (prefix.asText().equals(source) || prefix.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }
}
