package io.jenkins.plugins.azuresshvm.emulator.arm;

import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.OperationKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The injected faults not yet spent, per operation kind in the order injected, and which kind a request is. */
final class FaultInjector {

    private final Map<OperationKind, Deque<Fault>> pending = new EnumMap<>(OperationKind.class);

    /** Queues each fault {@code times} times behind those of its kind. */
    synchronized void inject(List<Fault> faults) {
        for (Fault fault : faults) {
            Deque<Fault> queue = pending.computeIfAbsent(fault.kind(), kind -> new ArrayDeque<>());
            for (int i = 0; i < fault.times(); i++) {
                queue.add(fault);
            }
        }
    }

    /** The fault for the next request of {@code kind} ({@code null}: none), spending it. */
    synchronized Fault take(OperationKind kind) {
        Deque<Fault> queue = kind == null ? null : pending.get(kind);
        return queue == null ? null : queue.poll();
    }

    /** The kind of a request by its method and decoded path segments; {@code null} for others. */
    static OperationKind kindOf(String method, List<String> s) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return OperationKind.GET;
        }
        boolean inSubscription = s.size() >= 4 && s.get(0).equalsIgnoreCase("subscriptions")
                && s.get(2).equalsIgnoreCase("resourcegroups");
        if (inSubscription && s.size() == 4) {
            return method.equals("PUT") ? OperationKind.RESOURCE_GROUP_PUT
                    : method.equals("DELETE") ? OperationKind.RESOURCE_GROUP_DELETE : null;
        }
        if (!inSubscription || s.size() < 8 || !s.get(4).equalsIgnoreCase("providers")) {
            return null;
        }
        String type = ResourceId.canonicalType(s.get(5), s.get(6));
        if (type == null) {
            return null;
        }
        if (s.size() == 9 && method.equals("POST") && type.equals(ResourceId.VM)
                && s.get(8).equalsIgnoreCase("runCommand")) {
            return OperationKind.RUN_COMMAND;
        }
        if (s.size() != 8) {
            return null;
        }
        if (method.equals("DELETE")) {
            return type.equals(ResourceId.VM) ? OperationKind.VM_DELETE : OperationKind.OTHER_DELETE;
        }
        if (!method.equals("PUT")) {
            return null;
        }
        return switch (type) {
            case ResourceId.VM -> OperationKind.VM_PUT;
            case ResourceId.NSG -> OperationKind.NSG_PUT;
            case ResourceId.PUBLIC_IP -> OperationKind.PUBLIC_IP_PUT;
            case ResourceId.VNET -> OperationKind.VNET_PUT;
            case ResourceId.NIC -> OperationKind.NIC_PUT;
            default -> null;
        };
    }
}
