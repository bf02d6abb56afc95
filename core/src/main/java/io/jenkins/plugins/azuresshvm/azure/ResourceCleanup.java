package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.management.exception.ManagementException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Deletes resources we own in an order Azure accepts, going on past failures and saying what is left, by resource
 * id. A delete that fails for a reason that may pass (its operation ended {@code Failed}, the SDK's own retries ran
 * out) is tried again, at most {@link ArmRetries#maxRetries()} times and never past the deadline.
 */
final class ResourceCleanup {
    private final AzureAccess azure;
    private final Map<String, String> ownershipTags;
    private final boolean reportOthers;

    /** Clean-up of confirmed resources only. */
    ResourceCleanup(AzureAccess azure) {
        this(azure, Map.of());
    }

    /**
     * @param ownershipTags the tags an unconfirmed resource must carry to be ours (the owner and the creation time
     *     of the run that asked for it): a create refused because someone else's resource has the name leaves
     *     theirs alone
     */
    ResourceCleanup(AzureAccess azure, Map<String, String> ownershipTags) {
        this(azure, ownershipTags, false);
    }

    private ResourceCleanup(AzureAccess azure, Map<String, String> ownershipTags, boolean reportOthers) {
        this.azure = azure;
        this.ownershipTags = Map.copyOf(ownershipTags);
        this.reportOthers = reportOthers;
    }

    /**
     * Clean-up of resources said to be {@code ownerId}'s, none of them taken on trust: an unconfirmed one is deleted
     * only if it carries {@link AzureVmProvisioner#OWNER_TAG} {@code ownerId}; one that exists without it is left and
     * reported.
     */
    static ResourceCleanup ownedBy(AzureAccess azure, String ownerId) {
        return new ResourceCleanup(azure, Map.of(AzureVmProvisioner.OWNER_TAG, ownerId), true);
    }

    /** What was deleted and what was not (each with its resource id and the reason). */
    record Outcome(List<String> deleted, List<String> left) {
        private static final System.Logger LOG = System.getLogger(ResourceCleanup.class.getName());

        /** This outcome with {@code description} left too. */
        Outcome leaving(String description) {
            List<String> all = new ArrayList<>(left);
            all.add(description);
            return new Outcome(deleted, List.copyOf(all));
        }

        /** Logs this outcome of a clean-up that nobody waits for, begun because {@code after}. */
        void log(String after) {
            LOG.log(left.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    () -> after + "; clean-up: " + this);
        }

        @Override
        public String toString() {
            return "deleted " + (deleted.isEmpty() ? "nothing" : String.join(", ", deleted))
                    + (left.isEmpty() ? "" : "; NOT deleted: " + String.join(", ", left));
        }
    }

    /**
     * Deletes {@code resources}; a resource group among them is deleted with everything in it, after the just-in-time
     * policies (deleted explicitly: they are Microsoft.Security's, not the group's own resources). A resource already
     * gone counts as deleted. One never {@linkplain OwnedResource#confirmed() confirmed} is deleted only if it exists
     * with our ownership tags, else not mentioned at all.
     */
    Outcome delete(List<OwnedResource> resources, Deadline deadline) {
        return deleting(resources, deadline).block();
    }

    /** {@link #delete}, one resource after another, without a thread waiting meanwhile; it never fails. */
    Mono<Outcome> deleting(List<OwnedResource> resources, Deadline deadline) {
        boolean group = resources.stream().anyMatch(resource -> resource.kind() == OwnedResource.Kind.RESOURCE_GROUP);
        Map<String, OwnedResource> byId = new LinkedHashMap<>();
        for (OwnedResource resource : resources) {
            if (group && resource.kind() != OwnedResource.Kind.RESOURCE_GROUP
                    && resource.kind() != OwnedResource.Kind.JIT_POLICY) {
                continue;
            }
            // a confirmed entry wins over an unconfirmed one for the same resource
            byId.merge(resource.id().toLowerCase(Locale.ROOT), resource, (a, b) -> a.confirmed() ? a : b);
        }
        List<OwnedResource> ordered = byId.values().stream().sorted(Comparator.comparing(OwnedResource::kind))
                .toList();
        return Flux.fromIterable(ordered).concatMap(resource -> deletingOne(resource, deadline)).collectList()
                .map(results -> new Outcome(
                        results.stream().filter(Result::wasDeleted).map(Result::description).toList(),
                        results.stream().filter(result -> !result.wasDeleted()).map(Result::description).toList()));
    }

    /** What became of one resource: deleted, or left (with the reason); nothing for one that was not ours. */
    private record Result(boolean wasDeleted, String description) {}

    private Mono<Result> deletingOne(OwnedResource resource, Deadline deadline) {
        Mono<Result> deleted = deletingWithRetries(resource, deadline).thenReturn(new Result(true,
                resource.kind() == OwnedResource.Kind.RESOURCE_GROUP
                        ? resource + " (with everything in it)" : resource.toString()));
        Mono<Result> result = resource.confirmed() ? deleted : tagsOf(resource, deadline).flatMap(found -> {
            if (isOurs(found)) {
                return deleted;
            }
            return reportOthers ? Mono.just(new Result(false, resource.withId() + " (" + notOurs(resource, found)
                    + ")")) : Mono.<Result>empty();
        });
        return result.onErrorResume(e -> Mono.just(new Result(false,
                resource.withId() + " (" + AzureErrors.describe(e) + ")")));
    }

    private String notOurs(OwnedResource resource, Map<String, String> found) {
        if (resource.kind() == OwnedResource.Kind.JIT_POLICY) {
            return "a policy carries no tags, and no VM tagged as ours names it";
        }
        String owner = found.get(AzureVmProvisioner.OWNER_TAG);
        return owner == null ? "not ours: no tag " + AzureVmProvisioner.OWNER_TAG
                : "not ours: tagged " + AzureVmProvisioner.OWNER_TAG + "=" + owner;
    }

    /** Whether {@code tags} are those of a resource of ours: they carry {@link #ownershipTags}. */
    boolean isOurs(Map<String, String> tags) {
        return !ownershipTags.isEmpty() && tags.entrySet().containsAll(ownershipTags.entrySet());
    }

    /** The delete, tried again iteratively (the stack does not grow with the tries). */
    private Mono<Void> deletingWithRetries(OwnedResource resource, Deadline deadline) {
        String what = "deleting " + resource;
        ArmRetries retries = azure.retries();
        return deadline.within(Mono.defer(() -> deleteCall(resource))
                .onErrorResume(AzureErrors::isNotFound, e -> Mono.empty()), what)
                .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
                    Throwable e = failure.failure();
                    int retry = (int) Math.min(failure.totalRetries() + 1, Integer.MAX_VALUE);
                    if (retry > retries.maxRetries() || deadline.passed() || !mayPass(e)) {
                        return Mono.error(e);
                    }
                    Duration pause = retries.pause(retry);
                    if (deadline.remaining().compareTo(pause) <= 0) {
                        return Mono.error(e);
                    }
                    return deadline.pause(pause);
                })));
    }

    /**
     * Whether trying again may help: not when our deadline passed, nor when ARM refused the request as such (400,
     * e.g. a resource still in use; 401, 403). A failed operation's error comes with its poll's status, any status.
     */
    private static boolean mayPass(Throwable e) {
        if (e instanceof AzureVmException) {
            return false;
        }
        if (e instanceof ManagementException management && management.getResponse() != null) {
            int status = management.getResponse().getStatusCode();
            return status != 400 && status != 401 && status != 403;
        }
        return true;
    }

    /** The tags of the resource; none (empty) when it does not exist. */
    Mono<Map<String, String>> tagsOf(OwnedResource resource, Deadline deadline) {
        String id = resource.id();
        Mono<Map<String, String>> tags = Mono.defer(() -> switch (resource.kind()) {
            case VIRTUAL_MACHINE -> azure.compute().virtualMachines().getByIdAsync(id).map(r -> r.tags());
            case OS_DISK -> azure.compute().disks().getByIdAsync(id).map(r -> r.tags());
            case NETWORK_INTERFACE -> azure.network().networkInterfaces().getByIdAsync(id).map(r -> r.tags());
            case VIRTUAL_NETWORK -> azure.network().networks().getByIdAsync(id).map(r -> r.tags());
            case PUBLIC_IP -> azure.network().publicIpAddresses().getByIdAsync(id).map(r -> r.tags());
            case NETWORK_SECURITY_GROUP -> azure.network().networkSecurityGroups().getByIdAsync(id).map(r -> r.tags());
            case RESOURCE_GROUP -> azure.resources().resourceGroups().getByNameAsync(groupName(id)).map(r -> r.tags());
            // a policy carries no tags: only a VM of ours naming it makes it ours (then it is confirmed)
            case JIT_POLICY -> Mono.just(Map.<String, String>of());
        });
        return deadline.within(tags.onErrorResume(AzureErrors::isNotFound, e -> Mono.empty()), "reading " + resource);
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
            case RESOURCE_GROUP -> azure.resources().resourceGroups().deleteByNameAsync(groupName(id));
        };
    }

    private static String groupName(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }
}
