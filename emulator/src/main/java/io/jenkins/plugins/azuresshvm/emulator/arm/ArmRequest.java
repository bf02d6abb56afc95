package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A request to the emulator.
 *
 * @param method the HTTP method
 * @param segments the URL path split at {@code /}, each decoded
 * @param query the query parameters
 * @param body the request body (empty when none)
 * @param baseUrl the emulator's endpoint, {@code https://127.0.0.1:PORT}, without trailing slash
 * @param failure the injected fault that makes this request's operation end {@code Failed}, or {@code null}
 */
record ArmRequest(String method, List<String> segments, Map<String, String> query, byte[] body, String baseUrl,
        Fault.FailedOperation failure) {

    String segment(int index) {
        return segments.get(index);
    }

    String apiVersion() {
        return query.get("api-version");
    }

    /** The body as a JSON object; 400 {@code InvalidRequestContent} when it is not one. */
    ObjectNode json() {
        try {
            JsonNode node = body.length == 0 ? null : Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be"
                    + " deserialized: '" + e.getMessage() + "'.");
        }
        throw new ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.");
    }
}
