package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.azuresshvm.emulator.vm.HostKeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One cloud-config document (YAML). The emulator takes its {@code ssh_keys} block in cloud-init's format
 * ({@code rsa_private}/{@code rsa_public}, {@code ecdsa_…}, {@code ed25519_…}) and the sshd drop-ins of its
 * {@code write_files} ({@link SshdDropIns}); everything else ({@code runcmd}, other files, {@code packages}, other
 * {@code ssh_keys} entries such as {@code dsa_…} or certificates) is accepted and ignored.
 *
 * @param hostKeys the host keys of its {@code ssh_keys}, one per type that has a private key; {@code null} when it
 *     has no {@code ssh_keys}
 * @param sshdDropIns the sshd drop-ins of its {@code write_files} by file name; {@code null} when it has no
 *     {@code write_files}
 */
record CloudConfig(List<HostKeyPair> hostKeys, SortedMap<String, String> sshdDropIns) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> TYPES = List.of("rsa", "ecdsa", "ed25519");

    /** Reads {@code document}, refusing what the emulator cannot act on. */
    static CloudConfig parse(String document) {
        JsonNode config;
        try {
            config = YAML.readTree(document);
        } catch (JacksonException e) {
            // the parser's own message quotes the document, which may hold private keys
            JsonLocation at = e.getLocation();
            throw ArmError.invalidParameter(CustomData.TARGET, "The custom data's cloud-config is not valid YAML"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ".");
        }
        if (config == null || config.isMissingNode() || config.isNull()) {
            return new CloudConfig(null, null);
        }
        if (!config.isObject()) {
            throw invalid("is not a mapping");
        }
        JsonNode writeFiles = config.get("write_files");
        return new CloudConfig(hostKeys(config.get("ssh_keys")),
                writeFiles == null || writeFiles.isNull() ? null : SshdDropIns.of(writeFiles));
    }

    private static List<HostKeyPair> hostKeys(JsonNode sshKeys) {
        if (sshKeys == null || sshKeys.isNull()) {
            return null;
        }
        if (!sshKeys.isObject()) {
            throw invalid("has an ssh_keys that is not a mapping");
        }
        for (Map.Entry<String, JsonNode> entry : sshKeys.properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid("has an ssh_keys." + entry.getKey() + " that is not a string");
            }
        }
        List<HostKeyPair> keys = new ArrayList<>();
        for (String type : TYPES) {
            JsonNode privateKey = sshKeys.get(type + "_private");
            JsonNode publicKey = sshKeys.get(type + "_public");
            if (privateKey != null) {
                keys.add(new HostKeyPair(type, privateKey.asText(), publicKey == null ? null : publicKey.asText()));
            }
        }
        if (keys.isEmpty()) {
            throw invalid("has ssh_keys without a private key of type rsa, ecdsa or ed25519; the VM would have no"
                    + " host key and its sshd would not start");
        }
        return keys;
    }

    private static ArmError invalid(String why) {
        return ArmError.invalidParameter(CustomData.TARGET, "The custom data's cloud-config " + why + ".");
    }
}
