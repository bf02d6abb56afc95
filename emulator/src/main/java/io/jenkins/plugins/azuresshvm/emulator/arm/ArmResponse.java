package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: status, extra headers and an optional JSON body.
 *
 * @param status the HTTP status
 * @param headers headers besides those every answer carries
 * @param body the JSON body, or {@code null} for none
 */
record ArmResponse(int status, Map<String, String> headers, JsonNode body) {

    static ArmResponse of(int status, JsonNode body) {
        return new ArmResponse(status, Map.of(), body);
    }

    static ArmResponse empty(int status) {
        return new ArmResponse(status, Map.of(), null);
    }

    /** 202 with no body, pointing the client at an operation. */
    static ArmResponse accepted(String asyncOperationUrl, String locationUrl) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (asyncOperationUrl != null) {
            headers.put("Azure-AsyncOperation", asyncOperationUrl);
        }
        headers.put("Location", locationUrl);
        headers.put("Retry-After", "1");
        return new ArmResponse(202, headers, null);
    }

    static ArmResponse error(ArmError error) {
        var body = Json.object();
        var detail = body.putObject("error");
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.target() != null) {
            detail.put("target", error.target());
        }
        return of(error.status(), body);
    }
}
