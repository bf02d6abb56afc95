package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Resource groups; deleting one deletes everything inside it, VMs first, in the background. */
final class ResourceGroups {

    private final String subscription;
    private final ResourceStore store;
    private final NetworkResources network;
    private final VirtualMachines vms;
    private final Operations operations;
    private final Executor executor;

    ResourceGroups(String subscription, ResourceStore store, NetworkResources network, VirtualMachines vms,
            Operations operations, Executor executor) {
        this.subscription = subscription;
        this.store = store;
        this.network = network;
        this.vms = vms;
        this.operations = operations;
        this.executor = executor;
    }

    /** The stored group, or 404 {@code ResourceGroupNotFound}. */
    ObjectNode require(String name) {
        ObjectNode group = store.get(ResourceId.resourceGroupId(subscription, name));
        if (group == null) {
            throw ArmError.resourceGroupNotFound(name);
        }
        return group;
    }

    ArmResponse put(String name, ObjectNode body) {
        synchronized (store) {
            ObjectNode existing = store.get(ResourceId.resourceGroupId(subscription, name));
            String canonicalName = existing == null ? name : existing.get("name").asText();
            ObjectNode group = TrackedResources.fromPut(ResourceId.resourceGroupId(subscription, canonicalName),
                    canonicalName, ResourceId.RESOURCE_GROUP, body, existing);
            store.put(group);
            return ArmResponse.of(existing == null ? 201 : 200, group);
        }
    }

    ArmResponse list() {
        ObjectNode answer = Json.object();
        var value = answer.putArray("value");
        synchronized (store) {
            store.list("/subscriptions/" + subscription + "/resourcegroups/", ResourceId.RESOURCE_GROUP)
                    .forEach(group -> value.add(group.deepCopy()));
        }
        return ArmResponse.of(200, answer);
    }

    /**
     * 202 with the {@code Location} of the deletion, which removes every resource of the group; under an injected
     * failure, it removes nothing and ends {@code Failed}.
     */
    ArmResponse delete(String name, ArmRequest request) {
        ObjectNode group;
        synchronized (store) {
            group = store.get(ResourceId.resourceGroupId(subscription, name));
            if (group == null) {
                throw ArmError.resourceGroupNotFound(name);
            }
            TrackedResources.properties(group).put("provisioningState", "Deleting");
        }
        String groupId = group.get("id").asText();
        String operationId = Operations.newId();
        operations.add(operationId, new BackgroundOperation(CompletableFuture.runAsync(() -> {
            if (request.failure() != null) {
                synchronized (store) {
                    TrackedResources.properties(group).put("provisioningState", "Succeeded");
                }
                throw Operations.error(request.failure());
            }
            deleteAll(groupId);
        }, executor)));
        String location = request.baseUrl() + "/subscriptions/" + subscription + "/operationresults/" + operationId
                + "?api-version=" + request.apiVersion();
        return ArmResponse.accepted(null, location);
    }

    private void deleteAll(String groupId) {
        synchronized (store) {
            List<ObjectNode> inside = new ArrayList<>(store.list(groupId + "/", null));
            for (ObjectNode vm : inside) {
                if (vm.get("type").asText().equals(ResourceId.VM)) {
                    vms.stop(vm.get("name").asText());
                }
            }
            inside.forEach(network::remove);
            store.remove(groupId);
        }
    }
}
