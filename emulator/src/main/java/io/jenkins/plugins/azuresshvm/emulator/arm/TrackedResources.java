package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The envelope every tracked resource shares: id, name, type, location, tags and properties. */
final class TrackedResources {

    private TrackedResources() {}

    /**
     * A new stored form of the resource {@code id} from a PUT {@code body}, keeping location and tags of
     * {@code existing} (may be {@code null}) when the body omits them. {@code provisioningState} is Succeeded.
     */
    static ObjectNode fromPut(String id, String name, String type, ObjectNode body, ObjectNode existing) {
        String location = Json.text(body, "/location");
        if (location == null && existing != null) {
            location = existing.get("location").asText();
        }
        if (location == null || location.isBlank()) {
            throw new ArmError(400, "LocationRequired", "The location property is required for this definition.");
        }
        ObjectNode resource = Json.object();
        resource.put("id", id);
        resource.put("name", name);
        resource.put("type", type);
        resource.put("location", location);
        JsonNode tags = body.has("tags") ? body.get("tags") : existing == null ? null : existing.get("tags");
        resource.set("tags", tags instanceof ObjectNode ? tags.deepCopy() : Json.object());
        JsonNode properties = body.get("properties");
        ObjectNode copy = properties instanceof ObjectNode object ? object.deepCopy() : Json.object();
        copy.put("provisioningState", "Succeeded");
        resource.set("properties", copy);
        return resource;
    }

    static ObjectNode properties(ObjectNode resource) {
        return Json.with(resource, "properties");
    }

    /** {@code {"id": id}}, ARM's form of a reference. */
    static ObjectNode reference(String id) {
        ObjectNode reference = Json.object();
        reference.put("id", id);
        return reference;
    }
}
