package io.jenkins.plugins.azuresshvm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The real cloud-init, the peer that reads a VM's customData: its schema check and the YAML parser it reads
 * cloud-config with (PyYAML, a cloud-init dependency). Missing, it skips the test locally and fails it on CI.
 */
public final class CloudInit {
    private CloudInit() {}

    /** {@code cloud-init schema -c FILE}: exit 0 and "Valid cloud-config" for a valid document. */
    public static OpenSsh.Result schema(java.nio.file.Path document) {
        return OpenSsh.run(OpenSsh.require("cloud-init", "cloud-init"), "schema", "-c", document.toString());
    }

    /** The document as cloud-init's YAML loader ({@code yaml.safe_load}) reads it, converted to JSON. */
    public static JsonNode load(String document) throws IOException {
        OpenSsh.require("cloud-init", "cloud-init");
        String json = OpenSsh.run(List.of("/usr/bin/python3", "-c",
                "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"), Map.of(), document,
                null).assertSuccess().stdout();
        return new ObjectMapper().readTree(json);
    }
}
