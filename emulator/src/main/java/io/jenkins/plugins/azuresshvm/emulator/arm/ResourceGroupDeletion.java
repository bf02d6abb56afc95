package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A resource group being deleted in the background, polled through its {@code Location} URL. */
final class ResourceGroupDeletion implements Operation {

    private final CompletableFuture<Void> deletion;

    ResourceGroupDeletion(CompletableFuture<Void> deletion) {
        this.deletion = deletion;
    }

    @Override
    public ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("status", !deletion.isDone() ? "InProgress"
                : deletion.isCompletedExceptionally() ? "Failed" : "Succeeded");
        return status;
    }

    @Override
    public ArmResponse result(String locationUrl) {
        if (!deletion.isDone()) {
            return new ArmResponse(202, Map.of("Location", locationUrl, "Retry-After", "1"), null);
        }
        try {
            deletion.join();
            return ArmResponse.empty(200);
        } catch (RuntimeException e) {
            return ArmResponse.error(e.getCause() instanceof ArmError error ? error
                    : new ArmError(500, "InternalServerError", String.valueOf(e.getCause())));
        }
    }
}
