package io.jenkins.plugins.azuresshvm.azure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Deletes the agent VMs of one owner (a cloud) that have no node any more — after a crash of the controller, or a
 * node removed while its VM was being deleted — with everything created with them: the {@link OrphanSweep} of that
 * owner, limited to resources whose VM is not among the live ones. A VM's resources are recognised by its name
 * ({@code <vm>}, {@code <vm>-nic}, {@code -ip}, {@code -nsg}, {@code -vnet}, {@code -osdisk}, {@code -jit}).
 * Resource groups are never deleted: agents live in an existing group, which may hold live agents.
 */
public final class LostAgentSweep {
    private static final List<String> SUFFIXES = List.of("-osdisk", "-nic", "-vnet", "-ip", "-nsg", "-jit");

    private final OrphanSweep sweep;

    public LostAgentSweep(OrphanSweep sweep) {
        this.sweep = sweep;
    }

    /**
     * What the sweep would delete: resources of {@code ownerId} older than {@code gracePeriod} whose VM is not in
     * {@code liveVmNames}. The grace period must exceed the longest provisioning, so that a VM being made, which
     * has no node yet, is left alone.
     *
     * @throws AzureVmException when Azure cannot be read within {@code timeout}
     */
    public OrphanSweep.Plan plan(String ownerId, Set<String> liveVmNames, Duration gracePeriod, Duration timeout) {
        OrphanSweep.Plan all = sweep.plan(ownerId, gracePeriod, timeout);
        return new OrphanSweep.Plan(all.ownerId(), all.createdBefore(), all.orphans().stream()
                .filter(orphan -> !orphan.isResourceGroup() && !liveVmNames.contains(vmName(orphan)))
                .toList());
    }

    /**
     * Deletes what {@code plan} lists.
     *
     * @return what was deleted
     * @throws AzureVmException naming what could not be deleted
     */
    public List<String> delete(OrphanSweep.Plan plan, Duration timeout) {
        return sweep.delete(plan, timeout);
    }

    /** The name of the VM a resource belongs to: its own name for a VM, else its name without our suffix. */
    private static String vmName(OrphanSweep.Orphan orphan) {
        String name = orphan.name();
        if (orphan.owned().kind() == OwnedResource.Kind.VIRTUAL_MACHINE) {
            return name;
        }
        return SUFFIXES.stream().filter(name::endsWith).findFirst()
                .map(suffix -> name.substring(0, name.length() - suffix.length())).orElse(name);
    }
}
