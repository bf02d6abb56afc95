package io.jenkins.plugins.azuresshvm.azure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Mono;

/** Deletes resources we own in an order Azure accepts, going on past failures and saying what is left. */
final class ResourceCleanup {
    private final AzureAccess azure;

    ResourceCleanup(AzureAccess azure) {
        this.azure = azure;
    }

    /** What was deleted and what was not (each with the reason). */
    record Outcome(List<String> deleted, List<String> left) {
        @Override
        public String toString() {
            return "deleted " + (deleted.isEmpty() ? "nothing" : String.join(", ", deleted))
                    + (left.isEmpty() ? "" : "; NOT deleted: " + String.join(", ", left));
        }
    }

    /**
     * Deletes {@code resources}; a resource group among them is deleted with everything in it, after the just-in-time
     * policies (deleted explicitly: they are Microsoft.Security's, not the group's own resources). A resource already gone counts as deleted.
     */
    Outcome delete(List<OwnedResource> resources, Deadline deadline) {
        boolean group = resources.stream().anyMatch(resource -> resource.kind() == OwnedResource.Kind.RESOURCE_GROUP);
        List<OwnedResource> ordered = resources.stream()
                .filter(resource -> !group || resource.kind() == OwnedResource.Kind.RESOURCE_GROUP
                        || resource.kind() == OwnedResource.Kind.JIT_POLICY)
                .sorted(Comparator.comparing(OwnedResource::kind)).distinct().toList();
        List<String> deleted = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (OwnedResource resource : ordered) {
            try {
                deadline.await(deleteCall(resource).onErrorResume(AzureErrors::isNotFound, e -> Mono.empty()),
                        "deleting " + resource);
                deleted.add(resource.kind() == OwnedResource.Kind.RESOURCE_GROUP
                        ? resource + " (with everything in it)" : resource.toString());
            } catch (RuntimeException e) {
                left.add(resource + " (" + AzureErrors.describe(e) + ")");
            }
        }
        return new Outcome(List.copyOf(deleted), List.copyOf(left));
    }

    private Mono<Void> deleteCall(OwnedResource resource) {
        String id = resource.id();
        return switch (resource.kind()) {
            case JIT_POLICY -> new JitAccess(azure).deletePolicy(id);
            case VIRTUAL_MACHINE -> azure.compute().virtualMachines().deleteByIdAsync(id);
            case OS_DISK -> azure.compute().disks().deleteByIdAsync(id);
            case NETWORK_INTERFACE -> azure.network().networkInterfaces().deleteByIdAsync(id);
            case VIRTUAL_NETWORK -> azure.network().networks().deleteByIdAsync(id);
            case PUBLIC_IP -> azure.network().publicIpAddresses().deleteByIdAsync(id);
            case NETWORK_SECURITY_GROUP -> azure.network().networkSecurityGroups().deleteByIdAsync(id);
            case RESOURCE_GROUP -> azure.resources().resourceGroups().deleteByNameAsync(
                    id.substring(id.lastIndexOf('/') + 1));
        };
    }
}
