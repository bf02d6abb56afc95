package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * SSH public key resources ({@code Microsoft.Compute/sshPublicKeys}): PUT, GET, PATCH, DELETE and
 * {@code generateKeyPair}, which returns a new private key once and keeps only its public half. A public key given in a
 * PUT or PATCH is checked as a VM's SSH key is.
 */
final class SshPublicKeys {

    private final ResourceStore store;

    SshPublicKeys(ResourceStore store) {
        this.store = store;
    }

    ArmResponse handle(ArmRequest request, ResourceId id) {
        List<String> s = request.segments();
        String method = request.method();
        if (s.size() == 8) {
            switch (method) {
                case "GET":
                    return ArmResponse.of(200, store.copy(id));
                case "PUT":
                    return put(id, request.json());
                case "PATCH":
                    return patch(id, request.json());
                case "DELETE":
                    return store.remove(id.toString()) == null ? ArmResponse.empty(204) : ArmResponse.empty(200);
                default:
                    break;
            }
        }
        if (s.size() == 9 && s.get(8).equalsIgnoreCase("generateKeyPair") && method.equals("POST")) {
            return generateKeyPair(id, request.body().length == 0 ? Json.object() : request.json());
        }
        return null;
    }

    private ArmResponse put(ResourceId id, ObjectNode body) {
        synchronized (store) {
            ObjectNode existing = store.get(id);
            ObjectNode key = TrackedResources.fromPut(id.toString(), id.name(), id.providerType(), body, existing);
            ObjectNode properties = TrackedResources.properties(key);
            properties.remove("provisioningState");
            String publicKey = Json.text(properties, "/publicKey");
            if (publicKey != null) {
                properties.put("publicKey", VmValidation.sshPublicKey(publicKey, "publicKey"));
            } else if (existing != null && existing.at("/properties/publicKey").isTextual()) {
                properties.set("publicKey", existing.at("/properties/publicKey"));
            }
            store.put(key);
            return ArmResponse.of(existing == null ? 201 : 200, key.deepCopy());
        }
    }

    private ArmResponse patch(ResourceId id, ObjectNode body) {
        synchronized (store) {
            ObjectNode key = store.require(id);
            String publicKey = Json.text(body, "/properties/publicKey");
            ObjectNode properties = TrackedResources.properties(key);
            if (publicKey != null) {
                properties.put("publicKey", VmValidation.sshPublicKey(publicKey, "publicKey"));
            }
            if (body.get("tags") instanceof ObjectNode tags) {
                key.set("tags", tags.deepCopy());
            }
            return ArmResponse.of(200, key.deepCopy());
        }
    }

    /** {@code {"encryptionType": "RSA" | "Ed25519"}}, RSA when absent. */
    private ArmResponse generateKeyPair(ResourceId id, ObjectNode body) {
        store.require(id);
        String type = Json.text(body, "/encryptionType");
        GeneratedSshKeyPair pair;
        if (type == null || type.equalsIgnoreCase("RSA")) {
            pair = GeneratedSshKeyPair.rsa();
        } else if (type.equalsIgnoreCase("Ed25519")) {
            pair = GeneratedSshKeyPair.ed25519();
        } else {
            throw ArmError.invalidParameter("encryptionType", "The value '" + type + "' of parameter encryptionType"
                    + " is invalid: it must be RSA or Ed25519.");
        }
        synchronized (store) {
            TrackedResources.properties(store.require(id)).put("publicKey", pair.publicKey());
        }
        ObjectNode answer = Json.object();
        answer.put("privateKey", pair.privateKey());
        answer.put("publicKey", pair.publicKey());
        answer.put("id", id.toString());
        return ArmResponse.of(200, answer);
    }
}
