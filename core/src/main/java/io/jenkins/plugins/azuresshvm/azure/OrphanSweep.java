package io.jenkins.plugins.azuresshvm.azure;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceExpandedInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds what one owner left behind — resources carrying its {@link AzureVmProvisioner#OWNER_TAG} whose
 * {@link AzureVmProvisioner#CREATED_TAG} is older than a given age, e.g. after a crash — and deletes them: each VM's
 * just-in-time policy, the VM, then its OS disk (untagged, as Azure creates it: found through the VM), NIC, virtual
 * network, public IP and NSG. A resource group of the owner is deleted whole only when everything in it is such an
 * orphan; else only its orphans are. Resources of another owner, untagged ones and ones without a readable creation
 * time are never touched. {@link #plan} only looks (a dry run); {@link #delete} acts on a plan.
 */
public final class OrphanSweep {
    private final AzureAccess azure;
    private final Clock clock;

    public OrphanSweep(AzureAccess azure, Clock clock) {
        this.azure = azure;
        this.clock = clock;
    }

    /** One resource the sweep would delete. */
    public record Orphan(String type, String id, Instant created) {
        /** The resource's name, the last part of its id. */
        public String name() {
            return id.substring(id.lastIndexOf('/') + 1);
        }

        OwnedResource owned() {
            return new OwnedResource(OwnedResource.Kind.ofArmType(type), id);
        }

        boolean isResourceGroup() {
            return owned().kind() == OwnedResource.Kind.RESOURCE_GROUP;
        }

        /** The resource group's id: the resource's own for a group, else the group it is in. */
        String groupId() {
            String[] parts = id.split("/");
            return String.join("/", List.of(parts).subList(0, 5)).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a sweep deletes, in order.
     *
     * @param ownerId the owner swept
     * @param createdBefore resources created before this instant are orphans
     * @param orphans what would be deleted, in the order it would be
     */
    public record Plan(String ownerId, Instant createdBefore, List<Orphan> orphans) {}

    /**
     * Looks for the orphans of {@code ownerId} older than {@code olderThan}: one generic resource list filtered by the
     * owner tag, one resource group list, and one GET per old VM and per old group; deletes nothing.
     *
     * @throws AzureVmException when Azure cannot be read within {@code timeout}
     */
    public Plan plan(String ownerId, Duration olderThan, Duration timeout) {
        if (ownerId == null || ownerId.isBlank()) {
            throw new IllegalArgumentException("owner id: missing; the sweep deletes only one owner's resources");
        }
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("older than: " + olderThan + " is negative");
        }
        Instant cutoff = Instant.now(clock).minus(olderThan);
        Deadline deadline = Deadline.after(timeout);
        try {
            List<Orphan> found = new ArrayList<>();
            String filter = "tagName eq '" + AzureVmProvisioner.OWNER_TAG + "' and tagValue eq '"
                    + ownerId.replace("'", "''") + "'";
            for (GenericResourceExpandedInner resource : deadline.await(azure.resources().serviceClient()
                    .getResources().listAsync(filter, null, null).collectList(), "listing resources tagged "
                    + AzureVmProvisioner.OWNER_TAG + "=" + ownerId)) {
                orphan(resource.type(), resource.id(), resource.tags(), ownerId, cutoff).ifPresent(found::add);
            }
            List<Orphan> groups = new ArrayList<>();
            for (ResourceGroupInner group : deadline.await(azure.resources().serviceClient().getResourceGroups()
                    .listAsync(null, null).collectList(), "listing resource groups")) {
                orphan(OwnedResource.Kind.RESOURCE_GROUP.armType(), group.id(), group.tags(), ownerId, cutoff)
                        .ifPresent(groups::add);
            }
            found.addAll(deadline.await(attachedToVms(found), "reading the old VMs"));
            Set<String> sweptIds = found.stream().map(orphan -> orphan.id().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            for (Orphan group : groups) {
                if (deadline.await(onlyOrphansIn(group, sweptIds), "listing resource group " + group.name())) {
                    found.add(group);
                }
            }
            return new Plan(ownerId, cutoff, ordered(found));
        } catch (AzureVmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AzureVmException("looking for orphans of " + ownerId + " failed: " + AzureErrors.describe(e), e);
        }
    }

    /**
     * Deletes what {@code plan} lists, going on past failures.
     *
     * @return what was deleted
     * @throws AzureVmException naming what could not be deleted (and what was)
     */
    public List<String> delete(Plan plan, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        Set<String> sweptGroups = plan.orphans().stream().filter(Orphan::isResourceGroup).map(Orphan::groupId)
                .collect(Collectors.toSet());
        List<OwnedResource> alone = new ArrayList<>();
        List<OwnedResource> withGroups = new ArrayList<>();
        for (Orphan orphan : plan.orphans()) {
            boolean inSweptGroup = sweptGroups.contains(orphan.groupId());
            if (!inSweptGroup || orphan.isResourceGroup()
                    || orphan.owned().kind() == OwnedResource.Kind.JIT_POLICY) {
                (inSweptGroup ? withGroups : alone).add(orphan.owned());
            }
        }
        ResourceCleanup cleanup = new ResourceCleanup(azure);
        ResourceCleanup.Outcome first = cleanup.delete(alone, deadline);
        ResourceCleanup.Outcome second = cleanup.delete(withGroups, deadline);
        List<String> deleted = new ArrayList<>(first.deleted());
        deleted.addAll(second.deleted());
        List<String> left = new ArrayList<>(first.left());
        left.addAll(second.left());
        if (!left.isEmpty()) {
            throw new AzureVmException("sweeping orphans of " + plan.ownerId() + ": "
                    + new ResourceCleanup.Outcome(deleted, left));
        }
        return List.copyOf(deleted);
    }

    /** An orphan when the resource is of a kind we create, {@code ownerId}'s, and created before {@code cutoff}. */
    private static Optional<Orphan> orphan(String type, String id, Map<String, String> tags, String ownerId,
            Instant cutoff) {
        if (tags == null || OwnedResource.Kind.ofArmType(type) == null
                || !ownerId.equals(tags.get(AzureVmProvisioner.OWNER_TAG))) {
            return Optional.empty();
        }
        try {
            Instant created = Instant.parse(String.valueOf(tags.get(AzureVmProvisioner.CREATED_TAG)));
            return created.isBefore(cutoff) ? Optional.of(new Orphan(type, id, created))
                    : Optional.empty();
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /** The OS disk and the just-in-time policy of each old VM, which carry no tags of ours. */
    private Mono<List<Orphan>> attachedToVms(List<Orphan> found) {
        return Flux.fromIterable(found)
                .filter(orphan -> orphan.owned().kind() == OwnedResource.Kind.VIRTUAL_MACHINE)
                .concatMap(vm -> azure.compute().serviceClient().getVirtualMachines()
                        .getByResourceGroupAsync(resourceGroupName(vm.id()), vm.name())
                        .flatMapIterable(inner -> attached(inner, vm.created()))
                        .onErrorResume(AzureErrors::isNotFound, e -> Flux.empty()))
                .collectList();
    }

    private List<Orphan> attached(VirtualMachineInner vm, Instant created) {
        List<Orphan> attached = new ArrayList<>();
        if (vm.storageProfile() != null && vm.storageProfile().osDisk() != null
                && vm.storageProfile().osDisk().managedDisk() != null
                && vm.storageProfile().osDisk().managedDisk().id() != null) {
            attached.add(new Orphan(OwnedResource.Kind.OS_DISK.armType(),
                    vm.storageProfile().osDisk().managedDisk().id(), created));
        }
        String jitPolicy = vm.tags() == null ? null : vm.tags().get(AzureVmProvisioner.JIT_POLICY_TAG);
        if (jitPolicy != null) {
            attached.add(new Orphan(OwnedResource.Kind.JIT_POLICY.armType(), JitAccess.policyId(
                    azure.subscriptionId(), resourceGroupName(vm.id()), vm.location(), jitPolicy), created));
        }
        return attached;
    }

    /** Whether every resource in the group is among {@code sweptIds}. */
    private Mono<Boolean> onlyOrphansIn(Orphan group, Set<String> sweptIds) {
        return azure.resources().serviceClient().getResources().listByResourceGroupAsync(group.name())
                .all(resource -> sweptIds.contains(resource.id().toLowerCase(Locale.ROOT)));
    }

    private static String resourceGroupName(String id) {
        return id.split("/")[4];
    }

    /** Deletion order: by kind (JIT policy, VM, disk, NIC, vnet, IP, NSG, group), duplicates dropped. */
    private static List<Orphan> ordered(List<Orphan> found) {
        Map<String, Orphan> unique = new LinkedHashMap<>();
        found.forEach(orphan -> unique.putIfAbsent(orphan.id().toLowerCase(Locale.ROOT), orphan));
        return unique.values().stream().sorted(Comparator.comparing((Orphan orphan) -> orphan.owned().kind())
                .thenComparing(Orphan::id)).toList();
    }
}
