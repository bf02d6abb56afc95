package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The emulator's long-running operations by id. */
final class Operations {

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    static String newId() {
        return UUID.randomUUID().toString();
    }

    void add(String id, Operation operation) {
        operations.put(id, operation);
    }

    /** The operation, or 404 {@code NotFound}. */
    Operation require(String id) {
        Operation operation = operations.get(id);
        if (operation == null) {
            throw new ArmError(404, "NotFound", "The operation '" + id + "' was not found.");
        }
        return operation;
    }
}
