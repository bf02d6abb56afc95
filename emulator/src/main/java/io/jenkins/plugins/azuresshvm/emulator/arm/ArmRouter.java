package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.JitAccessRequest;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Dispatches an authenticated, versioned request to the resource it addresses. */
final class ArmRouter {

    private final String subscription;
    private final ResourceStore store = new ResourceStore();
    private final Operations operations;
    private final Executor executor;
    private final NetworkResources network;
    private final VirtualMachines vms;
    private final ResourceGroups groups;
    private final ResourceLists lists = new ResourceLists(store);
    private final SshPublicKeys sshPublicKeys = new SshPublicKeys(store);
    private final JitPolicies jit;

    ArmRouter(String subscription, VmRuntime runtime, Executor executor, boolean longRunning, Latencies latencies,
            boolean jitAvailable) {
        this.subscription = subscription;
        this.executor = executor;
        operations = new Operations(longRunning);
        LoopbackAddresses addresses = new LoopbackAddresses();
        network = new NetworkResources(store, addresses);
        vms = new VirtualMachines(store, network, addresses, runtime, operations, executor, latencies);
        groups = new ResourceGroups(subscription, store, network, vms, operations, executor);
        jit = new JitPolicies(subscription, store, jitAvailable);
    }

    List<LiveResource> inventory() {
        return store.inventory();
    }

    void attack(String vmName, List<Attack> attacks) throws IOException {
        vms.attack(vmName, attacks);
    }

    List<SshConnection> sshConnections(String vmName) throws IOException {
        return vms.sshConnections(vmName);
    }

    List<JitAccessRequest> jitRequests() {
        return jit.requests();
    }

    ArmResponse route(ArmRequest request) {
        List<String> s = request.segments();
        String method = request.method();
        if (s.size() < 2 || !is(s.get(0), "subscriptions")) {
            throw notImplemented(request);
        }
        if (!s.get(1).equalsIgnoreCase(subscription)) {
            throw new ArmError(404, "SubscriptionNotFound", "The subscription '" + s.get(1) + "' could not be found.");
        }
        if (s.size() == 3 && is(s.get(2), "resourcegroups") && method.equals("GET")) {
            return groups.list();
        }
        String subscriptionId = "/subscriptions/" + subscription;
        if (s.size() == 3 && is(s.get(2), "resources") && method.equals("GET")) {
            return lists.generic(subscriptionId, request.query());
        }
        if (s.size() == 5 && is(s.get(2), "resourcegroups") && is(s.get(4), "resources") && method.equals("GET")) {
            return lists.generic(groups.require(s.get(3)).get("id").asText(), request.query());
        }
        if (s.size() == 5 && is(s.get(2), "providers") && method.equals("GET")
                && ResourceId.canonicalType(s.get(3), s.get(4)) != null) {
            return lists.ofType(subscriptionId, ResourceId.canonicalType(s.get(3), s.get(4)), request.query());
        }
        if (s.size() == 4 && is(s.get(2), "resourcegroups")) {
            return resourceGroup(request, s.get(3));
        }
        if (s.size() == 4 && is(s.get(2), "operationresults") && method.equals("GET")) {
            return operations.require(s.get(3)).result(request.baseUrl() + String.join("/", "", s.get(0), s.get(1),
                    s.get(2), s.get(3)) + "?api-version=" + request.apiVersion());
        }
        if (s.size() == 8 && is(s.get(2), "providers") && is(s.get(4), "locations") && is(s.get(6), "operations")
                && method.equals("GET")) {
            Operation operation = operations.require(s.get(7));
            return "true".equals(request.query().get("monitor"))
                    ? operation.result(request.baseUrl() + "/" + String.join("/", s) + "?api-version="
                            + request.apiVersion() + "&monitor=true")
                    : status(operation.status());
        }
        if (s.size() >= 9 && is(s.get(2), "resourcegroups") && is(s.get(4), "providers")
                && is(s.get(5), "Microsoft.Security")) {
            ArmResponse answer = jit.handle(request, groups.require(s.get(3)).get("name").asText());
            if (answer == null) {
                throw notImplemented(request);
            }
            return answer;
        }
        if (s.size() >= 7 && is(s.get(2), "resourcegroups") && is(s.get(4), "providers")) {
            String type = ResourceId.canonicalType(s.get(5), s.get(6));
            if (type == null) {
                throw notImplemented(request);
            }
            String groupName = groups.require(s.get(3)).get("name").asText();
            if (s.size() == 7 && method.equals("GET")) {
                return lists.ofType(ResourceId.resourceGroupId(subscription, groupName), type, request.query());
            }
            if (s.size() >= 8) {
                return resource(request, new ResourceId(subscription, groupName, type, s.get(7)));
            }
        }
        throw notImplemented(request);
    }

    private ArmResponse resourceGroup(ArmRequest request, String name) {
        return switch (request.method()) {
            case "PUT" -> groups.put(name, request.json());
            case "GET" -> {
                synchronized (store) {
                    yield ArmResponse.of(200, groups.require(name).deepCopy());
                }
            }
            case "HEAD" -> store.get(ResourceId.resourceGroupId(subscription, name)) == null
                    ? ArmResponse.empty(404) : ArmResponse.empty(204);
            case "DELETE" -> groups.delete(name, request);
            default -> throw notImplemented(request);
        };
    }

    private ArmResponse resource(ArmRequest request, ResourceId id) {
        List<String> s = request.segments();
        String method = request.method();
        boolean vm = id.providerType().equals(ResourceId.VM);
        if (id.providerType().equals(ResourceId.SSH_PUBLIC_KEY)) {
            ArmResponse answer = sshPublicKeys.handle(request, id);
            if (answer == null) {
                throw notImplemented(request);
            }
            return answer;
        }
        if (s.size() == 8) {
            if (method.equals("GET")) {
                return vm ? vms.get(id, "instanceView".equals(request.query().get("$expand")))
                        : ArmResponse.of(200, store.copy(id));
            }
            if (method.equals("PUT") && vm) {
                return vms.put(id, request);
            }
            if (method.equals("PUT") && !id.providerType().equals(ResourceId.DISK)) {
                return networkPut(request, id);
            }
            if (method.equals("DELETE")) {
                return delete(request, id, () -> vm ? vms.delete(id)
                        : id.providerType().equals(ResourceId.DISK) ? deleteDisk(id) : network.delete(id));
            }
        }
        if (s.size() == 9 && vm && is(s.get(8), "instanceView") && method.equals("GET")) {
            return vms.instanceView(id);
        }
        if (s.size() == 9 && vm && is(s.get(8), "runCommand") && method.equals("POST")) {
            return vms.runCommand(id, request);
        }
        if (s.size() == 10 && id.providerType().equals(ResourceId.VNET) && is(s.get(8), "subnets")
                && method.equals("GET")) {
            for (JsonNode subnet : store.copy(id).at("/properties/subnets")) {
                if (subnet.path("name").asText().equalsIgnoreCase(s.get(9))) {
                    return ArmResponse.of(200, subnet);
                }
            }
            throw new ArmError(404, "NotFound", "Subnet '" + s.get(9) + "' of " + id + " was not found.");
        }
        throw notImplemented(request);
    }

    /**
     * A network resource PUT; as an operation, the resource is stored at once, {@code Updating} until the operation
     * ends (then {@code Succeeded}, or {@code Failed} under an injected failure).
     */
    private ArmResponse networkPut(ArmRequest request, ResourceId id) {
        ArmResponse answer = network.put(id, request.json());
        if (!operations.longRunning(request)) {
            return answer;
        }
        ((ObjectNode) answer.body().get("properties")).put("provisioningState", "Updating");
        provisioningState(id, "Updating");
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
            if (request.failure() != null) {
                provisioningState(id, "Failed");
                throw Operations.error(request.failure());
            }
            provisioningState(id, "Succeeded");
        }, executor);
        return operations.answer(request, answer, "Microsoft.Network", answer.body().get("location").asText(), work);
    }

    /**
     * A resource DELETE; as an operation, the deletion happens at once (its refusals stay synchronous) and is polled
     * through a 202; under an injected failure, nothing is deleted and the operation ends {@code Failed}.
     */
    private ArmResponse delete(ArmRequest request, ResourceId id, Supplier<ArmResponse> deletion) {
        if (!operations.longRunning(request)) {
            return deletion.get();
        }
        ObjectNode resource = store.get(id);
        if (resource == null) {
            return ArmResponse.empty(204);
        }
        String region = resource.get("location").asText();
        CompletableFuture<Void> work;
        if (request.failure() != null) {
            work = CompletableFuture.failedFuture(Operations.error(request.failure()));
        } else {
            deletion.get();
            work = CompletableFuture.completedFuture(null);
        }
        return operations.answer(request, null, id.providerType().substring(0, id.providerType().indexOf('/')),
                region, work);
    }

    /** Sets the stored resource's provisioning state, if it still exists. */
    private void provisioningState(ResourceId id, String state) {
        synchronized (store) {
            ObjectNode resource = store.get(id);
            if (resource != null) {
                TrackedResources.properties(resource).put("provisioningState", state);
            }
        }
    }

    private ArmResponse deleteDisk(ResourceId id) {
        synchronized (store) {
            ObjectNode disk = store.get(id);
            if (disk == null) {
                return ArmResponse.empty(204);
            }
            if (disk.hasNonNull("managedBy")) {
                throw new ArmError(409, "OperationNotAllowed", "Disk " + id.name() + " is attached to VM "
                        + disk.get("managedBy").asText() + ".");
            }
            store.remove(id.toString());
            return ArmResponse.empty(200);
        }
    }

    private static boolean is(String segment, String expected) {
        return segment.equalsIgnoreCase(expected);
    }

    private static ArmError notImplemented(ArmRequest request) {
        return new ArmError(501, "NotImplemented", "The ARM emulator does not implement " + request.method() + " /"
                + String.join("/", request.segments()) + ".");
    }

    /**
     * An operation's status; while it is {@code InProgress}, with {@code Retry-After: 1} as Azure sends it (without
     * it the SDK waits its default 30 s before the next poll).
     */
    private static ArmResponse status(ObjectNode status) {
        return "InProgress".equals(status.path("status").asText())
                ? new ArmResponse(200, Map.of("Retry-After", "1"), status)
                : ArmResponse.of(200, status);
    }
}
