package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers over Jackson's tree model. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The object at {@code field}, created when absent or not an object. */
    static ObjectNode with(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    /** The array at {@code field}, created when absent or not an array. */
    static ArrayNode withArray(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ArrayNode array) {
            return array;
        }
        return parent.putArray(field);
    }

    /** The text at {@code path} (a JSON pointer), or {@code null}. */
    static String text(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
