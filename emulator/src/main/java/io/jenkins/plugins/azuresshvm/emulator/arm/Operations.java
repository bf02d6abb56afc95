package io.jenkins.plugins.azuresshvm.emulator.arm;

import io.jenkins.plugins.azuresshvm.emulator.Fault;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's long-running operations by id, and when a request gets one: in the long-running mode, every PUT of
 * a VM or network resource and every resource DELETE; in either mode, a request under a
 * {@link Fault.FailedOperation}.
 */
final class Operations {

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final boolean longRunningMode;

    Operations(boolean longRunningMode) {
        this.longRunningMode = longRunningMode;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    void add(String id, Operation operation) {
        operations.put(id, operation);
    }

    /**
     * Registers {@code operation} under {@code id} and returns its absolute {@code Azure-AsyncOperation} URL, Azure's
     * form {@code …/providers/{namespace}/locations/{region}/operations/{id}?…}; its {@code Location} URL is this
     * plus {@code &monitor=true}.
     */
    String add(String id, Operation operation, ArmRequest request, String namespace, String region) {
        add(id, operation);
        return request.baseUrl() + "/subscriptions/" + request.segment(1) + "/providers/" + namespace + "/locations/"
                + region + "/operations/" + id + "?p=" + UUID.randomUUID() + "&api-version=" + request.apiVersion();
    }

    /** Whether {@code request} is answered as a long-running operation. */
    boolean longRunning(ArmRequest request) {
        return longRunningMode || request.failure() != null;
    }

    /**
     * Answers {@code request} as the long-running operation {@code work}: a PUT with {@code answer} (whose body shows
     * the provisioning state while {@code work} runs) plus {@code Azure-AsyncOperation}; a DELETE with 202, its
     * {@code Azure-AsyncOperation} and {@code Location}.
     */
    ArmResponse answer(ArmRequest request, ArmResponse answer, String namespace, String region,
            CompletableFuture<?> work) {
        String url = add(newId(), new BackgroundOperation(work), request, namespace, region);
        if (request.method().equals("DELETE")) {
            return ArmResponse.accepted(url, url + "&monitor=true");
        }
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.put("Azure-AsyncOperation", url);
        headers.put("Retry-After", "1");
        return new ArmResponse(answer.status(), headers, answer.body());
    }

    /**
     * The error an operation under {@code failure} ends with; its {@code Location} answer carries it with status 500,
     * as ARM reports a failure of its own (a 4xx would say the request itself was wrong).
     */
    static ArmError error(Fault.FailedOperation failure) {
        return new ArmError(500, failure.code(), failure.message());
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
