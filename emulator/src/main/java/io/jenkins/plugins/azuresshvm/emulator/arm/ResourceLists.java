package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The list GETs: resources of one type in a resource group or a subscription, and the generic resources of a group
 * or subscription ({@code …/resources}) narrowed by a {@link ResourceFilter}. Every list is one page (no
 * {@code nextLink}).
 */
final class ResourceLists {

    private final ResourceStore store;

    ResourceLists(ResourceStore store) {
        this.store = store;
    }

    /**
     * {@code GET {scope}/providers/NS/TYPE}: the resources of {@code type} whose id starts with {@code scopeId}
     * (a subscription or resource group id). ARM's type lists take no filter the emulator knows: a
     * {@code $filter} is a 400.
     */
    ArmResponse ofType(String scopeId, String type, Map<String, String> query) {
        String filter = query.get("$filter");
        if (filter != null) {
            throw ResourceFilter.unsupported(filter, "the emulator filters only generic resource lists"
                    + " (…/resources), not lists of " + type);
        }
        ObjectNode answer = Json.object();
        ArrayNode value = answer.putArray("value");
        synchronized (store) {
            store.list(scopeId + "/", type).forEach(resource -> value.add(resource.deepCopy()));
        }
        return ArmResponse.of(200, answer);
    }

    /**
     * {@code GET {scope}/resources[?$filter=…]}: every resource under {@code scopeId} except resource groups, in
     * ARM's generic form (id, name, type, location, tags and, when the resource has them, sku, kind, managedBy).
     */
    ArmResponse generic(String scopeId, Map<String, String> query) {
        ResourceFilter filter = ResourceFilter.parse(query.get("$filter"));
        ObjectNode answer = Json.object();
        ArrayNode value = answer.putArray("value");
        synchronized (store) {
            for (ObjectNode resource : store.list(scopeId + "/", null)) {
                if (!resource.get("type").asText().equals(ResourceId.RESOURCE_GROUP) && filter.matches(resource)) {
                    value.add(genericForm(resource));
                }
            }
        }
        return ArmResponse.of(200, answer);
    }

    private static ObjectNode genericForm(ObjectNode resource) {
        ObjectNode generic = Json.object();
        for (String field : new String[] {"id", "name", "type", "sku", "kind", "managedBy", "location"}) {
            if (resource.hasNonNull(field)) {
                generic.set(field, resource.get(field).deepCopy());
            }
        }
        if (resource.path("tags").size() > 0) {
            generic.set("tags", resource.get("tags").deepCopy());
        }
        return generic;
    }
}
