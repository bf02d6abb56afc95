package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every live resource (resource groups included) as the JSON ARM returns for it, keyed by lower-case id. Callers
 * hold the store's monitor around any read-modify-write.
 */
final class ResourceStore {

    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();

    synchronized ObjectNode get(String id) {
        return resources.get(id.toLowerCase(Locale.ROOT));
    }

    synchronized ObjectNode get(ResourceId id) {
        return resources.get(id.key());
    }

    /** The stored resource, or 404 {@code ResourceNotFound}. */
    synchronized ObjectNode require(ResourceId id) {
        ObjectNode resource = get(id);
        if (resource == null) {
            throw ArmError.notFound(id);
        }
        return resource;
    }

    /** A copy of the stored resource, safe to serialize outside the monitor; or 404 {@code ResourceNotFound}. */
    synchronized ObjectNode copy(ResourceId id) {
        return require(id).deepCopy();
    }

    synchronized void put(ObjectNode resource) {
        resources.put(resource.get("id").asText().toLowerCase(Locale.ROOT), resource);
    }

    synchronized ObjectNode remove(String id) {
        return resources.remove(id.toLowerCase(Locale.ROOT));
    }

    /** Resources of {@code type} whose id starts with {@code prefix} (compared without case). */
    synchronized List<ObjectNode> list(String prefix, String type) {
        String lowerPrefix = prefix.toLowerCase(Locale.ROOT);
        List<ObjectNode> found = new ArrayList<>();
        resources.forEach((key, resource) -> {
            if (key.startsWith(lowerPrefix) && (type == null || type.equals(resource.get("type").asText()))) {
                found.add(resource);
            }
        });
        return found;
    }

    synchronized List<LiveResource> inventory() {
        List<LiveResource> inventory = new ArrayList<>();
        for (ObjectNode resource : resources.values()) {
            Map<String, String> tags = new LinkedHashMap<>();
            JsonNode tagNode = resource.path("tags");
            tagNode.fieldNames().forEachRemaining(name -> tags.put(name, tagNode.get(name).asText()));
            inventory.add(new LiveResource(resource.get("type").asText(), resource.get("id").asText(), tags));
        }
        return inventory;
    }
}
