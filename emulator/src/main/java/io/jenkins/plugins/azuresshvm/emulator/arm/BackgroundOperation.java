package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work done in the background for a PUT or DELETE (a resource group's deletion, a VM's creation, …). As on Azure,
 * its first poll says {@code InProgress} however fast the work was; later polls say how the work ended.
 */
final class BackgroundOperation implements Operation {

    private final CompletableFuture<?> work;
    private final AtomicBoolean polled = new AtomicBoolean();

    BackgroundOperation(CompletableFuture<?> work) {
        this.work = work;
    }

    private boolean running() {
        return !polled.getAndSet(true) || !work.isDone();
    }

    @Override
    public ObjectNode status() {
        ObjectNode status = Json.object();
        if (running()) {
            status.put("status", "InProgress");
        } else if (work.isCompletedExceptionally()) {
            status.put("status", "Failed");
            status.set("error", ArmResponse.error(failure()).body().get("error"));
        } else {
            status.put("status", "Succeeded");
        }
        return status;
    }

    @Override
    public ArmResponse result(String locationUrl) {
        if (running()) {
            return new ArmResponse(202, Map.of("Location", locationUrl, "Retry-After", "1"), null);
        }
        return work.isCompletedExceptionally() ? ArmResponse.error(failure()) : ArmResponse.empty(200);
    }

    private ArmError failure() {
        try {
            work.join();
            throw new IllegalStateException("not failed");
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof ArmError error ? error
                    : new ArmError(500, "InternalServerError", String.valueOf(cause));
        }
    }
}
