package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.management.Region;
import com.azure.resourcemanager.compute.models.DeleteOptions;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.PowerState;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.PublicIPSkuType;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.fluentcore.arm.models.HasId;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Creates a Linux VM reachable by SSH from one source only — NSG, Standard static public IP (optionally with a DNS
 * label), virtual network (or an existing subnet, never ours to delete), NIC, VM — tagging each resource it creates
 * with its owner and creation time, and deletes it again. A failed provisioning deletes what
 * it created unless the spec says to keep it. With {@link VmSpec#jit()}, the NSG denies SSH and a just-in-time access
 * policy of ours ({@code <name>-jit}) lets the spec's source request it ({@link #requestSshAccess}).
 */
public final class AzureVmProvisioner {

    /** The tag naming who created a resource ({@link VmSpec#ownerId()}): a sweep deletes only its own. */
    public static final String OWNER_TAG = "azure-ssh-vm-owner";
    /** The tag holding when a resource was created, as an ISO-8601 instant. */
    public static final String CREATED_TAG = "azure-ssh-vm-created";
    /** The tag of a VM whose SSH port we put under a just-in-time policy, naming the policy (in the VM's region). */
    public static final String JIT_POLICY_TAG = "azure-ssh-vm-jit-policy";

    private static final String SUBNET = "default";
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(15);
    private static final System.Logger LOG = System.getLogger(AzureVmProvisioner.class.getName());

    private final AzureAccess azure;
    private final Duration powerStatePoll;
    private final Clock clock;

    /** Polls the power state every 5 s. */
    public AzureVmProvisioner(AzureAccess azure) {
        this(azure, Duration.ofSeconds(5), Clock.systemUTC());
    }

    /**
     * @param powerStatePoll the pause between power state reads while the VM is not yet running
     * @param clock for the creation time tag
     */
    public AzureVmProvisioner(AzureAccess azure, Duration powerStatePoll, Clock clock) {
        this.azure = azure;
        this.powerStatePoll = powerStatePoll;
        this.clock = clock;
    }

    /**
     * Creates the VM of {@code spec} and waits until it runs.
     *
     * @param timeout for the whole provisioning; the clean-up after a failure has its own
     * @throws ProvisioningException naming the failed step and what was deleted or kept
     */
    public ProvisionedVm provision(VmSpec spec, Duration timeout) {
        return provisioning(spec, timeout).block();
    }

    /**
     * {@link #provision} as one chain of Azure calls, without a thread waiting for any of them: it fails with the
     * {@link ProvisioningException} {@code provision} throws, once the clean-up is over. Cancelled, it lets the Azure
     * call in flight finish (so that what it creates is known), stops there and deletes what it created, in the
     * background, unless the spec says to keep it.
     */
    Mono<ProvisionedVm> provisioning(VmSpec spec, Duration timeout) {
        return Mono.defer(() -> {
            Run run = new Run(spec, Deadline.after(timeout));
            // not toFuture(): it cancels its source after the value, which interrupts an SDK thread still subscribing
            CompletableFuture<ProvisionedVm> provisioned = new CompletableFuture<>();
            run.provision().subscribe(provisioned::complete, provisioned::completeExceptionally);
            return Mono.fromFuture(provisioned, true).doOnCancel(() -> run.cancel(provisioned));
        });
    }

    /**
     * Deletes the VM's just-in-time policy, the VM, then its disk, NIC, virtual network (unless it was an existing
     * one, {@code virtualNetworkId} {@code null}), public IP and NSG — or, when we created its resource group, the
     * policy and then the group with everything in it. Resources already gone count as deleted.
     *
     * @throws AzureVmException naming what could not be deleted, by resource id, and why
     */
    public void delete(ProvisionedVm vm, Duration timeout) {
        ResourceCleanup.Outcome outcome = deleteReporting(vm, timeout);
        if (!outcome.left().isEmpty()) {
            throw new AzureVmException("deleting VM " + vm.name() + ": " + outcome);
        }
    }

    /**
     * {@link #delete(ProvisionedVm, Duration)} without a thread waiting for it: the future fails with the
     * {@link AzureVmException} that {@code delete} throws.
     */
    public CompletableFuture<Void> deleteAsync(ProvisionedVm vm, Duration timeout) {
        return deleting(vm, timeout).flatMap(outcome -> outcome.left().isEmpty() ? Mono.<Void>empty()
                : Mono.error(new AzureVmException("deleting VM " + vm.name() + ": " + outcome))).toFuture();
    }

    /**
     * {@link #delete(ProvisionedVm, Duration)} for a VM described by someone who may not be trusted: each resource,
     * the resource group included (when {@link ProvisionedVm#resourceGroupCreated()}), is deleted only if it carries
     * {@link #OWNER_TAG} {@code ownerId}, the just-in-time policy only if the VM does and names it. A resource that
     * is not ours is left, and named in the exception.
     *
     * @throws AzureVmException naming what was left, by resource id, and why
     */
    public void deleteOwned(ProvisionedVm vm, String ownerId, Duration timeout) {
        ResourceCleanup.Outcome outcome = deletingOwned(vm, ownerId, timeout).block();
        if (!outcome.left().isEmpty()) {
            throw new AzureVmException("deleting VM " + vm.name() + ": " + outcome);
        }
    }

    /** {@link #deleteOwned} without a thread waiting for it: the future fails with the exception it throws. */
    public CompletableFuture<Void> deleteOwnedAsync(ProvisionedVm vm, String ownerId, Duration timeout) {
        return deletingOwned(vm, ownerId, timeout).flatMap(outcome -> outcome.left().isEmpty() ? Mono.<Void>empty()
                : Mono.error(new AzureVmException("deleting VM " + vm.name() + ": " + outcome))).toFuture();
    }

    private Mono<ResourceCleanup.Outcome> deletingOwned(ProvisionedVm vm, String ownerId, Duration timeout) {
        return Mono.defer(() -> {
            Deadline deadline = Deadline.after(timeout);
            ResourceCleanup cleanup = ResourceCleanup.ownedBy(azure, ownerId);
            OwnedResource group = resourceGroup(vm.resourceGroup());
            Mono<Boolean> groupOurs = !vm.resourceGroupCreated() ? Mono.just(false)
                    : cleanup.tagsOf(group, deadline).map(cleanup::isOurs).defaultIfEmpty(false);
            Mono<Boolean> policyOurs = vm.jitPolicyId() == null ? Mono.just(false)
                    : cleanup.tagsOf(new OwnedResource(OwnedResource.Kind.VIRTUAL_MACHINE, vm.vmResourceId(), false),
                            deadline).map(tags -> cleanup.isOurs(tags)
                                    && vm.jitPolicyId().endsWith("/" + tags.get(JIT_POLICY_TAG)))
                            .defaultIfEmpty(false);
            return Mono.zip(groupOurs, policyOurs).flatMap(ours -> {
                List<OwnedResource> resources = new ArrayList<>(resourcesOf(vm, false));
                if (vm.jitPolicyId() != null) {
                    resources.add(new OwnedResource(OwnedResource.Kind.JIT_POLICY, vm.jitPolicyId(), ours.getT2()));
                }
                if (ours.getT1()) {
                    resources.add(new OwnedResource(group.kind(), group.id()));
                }
                Mono<ResourceCleanup.Outcome> outcome = cleanup.deleting(resources, deadline);
                if (!vm.resourceGroupCreated() || ours.getT1()) {
                    return outcome;
                }
                return outcome.map(done -> done.leaving(group.withId() + " (not ours: no tag " + OWNER_TAG + "="
                        + ownerId + "; left with everything in it that is not ours)"));
            });
        });
    }

    /** {@link #delete(ProvisionedVm, Duration)}, saying what was and was not deleted instead of throwing. */
    ResourceCleanup.Outcome deleteReporting(ProvisionedVm vm, Duration timeout) {
        return deleting(vm, timeout).block();
    }

    /** {@link #deleteReporting} without a thread waiting for it; it never fails. */
    Mono<ResourceCleanup.Outcome> deleting(ProvisionedVm vm, Duration timeout) {
        List<OwnedResource> resources = new ArrayList<>(resourcesOf(vm, true));
        if (vm.resourceGroupCreated()) {
            resources.add(resourceGroup(vm.resourceGroup()));
        }
        if (vm.jitPolicyId() != null) {
            resources.add(new OwnedResource(OwnedResource.Kind.JIT_POLICY, vm.jitPolicyId()));
        }
        return new ResourceCleanup(azure).deleting(resources, Deadline.after(timeout));
    }

    /** The VM and the resources it uses that we created, but its group and policy, {@code confirmed} or not. */
    private static List<OwnedResource> resourcesOf(ProvisionedVm vm, boolean confirmed) {
        List<OwnedResource> resources = new ArrayList<>(List.of(
                new OwnedResource(OwnedResource.Kind.VIRTUAL_MACHINE, vm.vmResourceId(), confirmed),
                new OwnedResource(OwnedResource.Kind.OS_DISK, vm.osDiskId(), confirmed),
                new OwnedResource(OwnedResource.Kind.NETWORK_INTERFACE, vm.networkInterfaceId(), confirmed),
                new OwnedResource(OwnedResource.Kind.NETWORK_SECURITY_GROUP, vm.networkSecurityGroupId(), confirmed)));
        if (vm.virtualNetworkId() != null) {
            resources.add(new OwnedResource(OwnedResource.Kind.VIRTUAL_NETWORK, vm.virtualNetworkId(), confirmed));
        }
        if (vm.publicIpId() != null) {
            resources.add(new OwnedResource(OwnedResource.Kind.PUBLIC_IP, vm.publicIpId(), confirmed));
        }
        return resources;
    }

    /**
     * Asks the VM's just-in-time policy to open its SSH port to {@code source} (for {@link JitAccess#MAX_ACCESS}), before
     * connecting to it.
     *
     * @throws AzureVmException when the VM has no policy of ours, or Azure refuses
     */
    public void requestSshAccess(ProvisionedVm vm, String source, Duration timeout) {
        requestingSshAccess(vm, source, timeout).block();
    }

    /** {@link #requestSshAccess} without a thread waiting for it: fails with the exception it throws. */
    Mono<Void> requestingSshAccess(ProvisionedVm vm, String source, Duration timeout) {
        return Mono.defer(() -> {
            if (vm.jitPolicyId() == null) {
                return Mono.error(new AzureVmException("VM " + vm.name() + " has no just-in-time policy of ours"));
            }
            String what = "requesting just-in-time SSH access to VM " + vm.name() + " for " + source;
            return Deadline.after(timeout).named(() -> new JitAccess(azure).requestAccess(vm.jitPolicyId(),
                    vm.vmResourceId(), vm.sshPort(), source), what);
        });
    }

    private OwnedResource resourceGroup(String name) {
        return new OwnedResource(OwnedResource.Kind.RESOURCE_GROUP,
                "/subscriptions/" + azure.subscriptionId() + "/resourceGroups/" + name);
    }

    /** One provisioning: its steps, and what they created so far. */
    private final class Run {
        private final VmSpec spec;
        private final Deadline deadline;
        private final Region region;
        private final Map<String, String> tags;
        private final List<OwnedResource> created = Collections.synchronizedList(new ArrayList<>());
        private volatile String step = "starting";
        private volatile boolean cancelled;

        Run(VmSpec spec, Deadline deadline) {
            this.spec = spec;
            this.deadline = deadline;
            this.region = Region.fromName(spec.region());
            Map<String, String> all = new LinkedHashMap<>(spec.tags());
            all.put(OWNER_TAG, spec.ownerId());
            all.put(CREATED_TAG, Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
            this.tags = Map.copyOf(all);
        }

        Mono<ProvisionedVm> provision() {
            Mono<Void> group = !spec.createResourceGroup() ? Mono.empty() : Mono.defer(() -> {
                OwnedResource planned = resourceGroup(spec.resourceGroup());
                created.add(new OwnedResource(planned.kind(), planned.id(), false));
                return step("creating resource group " + spec.resourceGroup(), azure.resources().resourceGroups()
                        .define(spec.resourceGroup()).withRegion(region).withTags(tags).createAsync()
                        .doOnNext(done -> created.add(planned))).then();
            });
            Mono<Void> jitAvailable = !spec.jit() ? Mono.empty()
                    : step("checking just-in-time VM access in resource group " + spec.resourceGroup(),
                            Mono.defer(() -> new JitAccess(azure).checkAvailable(spec.resourceGroup(),
                                    spec.region())));
            return checkNames().then(group).then(jitAvailable)
                    .then(step(spec.usesExistingSubnet()
                            ? "creating network security group and public IP, reading subnet "
                                    + spec.existingSubnetId()
                            : "creating network security group, public IP and virtual network",
                            Mono.defer(this::createNetworking)))
                    .flatMap(networking -> step("creating network interface " + spec.name() + "-nic",
                            tracked(OwnedResource.Kind.NETWORK_INTERFACE,
                                    "Microsoft.Network/networkInterfaces/" + spec.name() + "-nic",
                                    Mono.defer(() -> createNic(networking))))
                            .flatMap(nic -> createVm(nic).flatMap(vm -> jitPolicy(vm)
                                    .flatMap(jitPolicyId -> waitUntilRunning(vm)
                                            .then(Mono.fromSupplier(() -> provisioned(networking, nic, vm,
                                                    jitPolicyId.orElse(null))))))))
                    .flatMap(vm -> cancelled ? Mono.error(new AzureVmException("cancelled")) : Mono.just(vm))
                    .onErrorResume(e -> cleanUpAfter(e).flatMap(failure -> Mono.<ProvisionedVm>error(failure)));
        }

        /**
         * Stops this run at its next step, which then fails and deletes what was created (unless the spec says to
         * keep it); a run past its last step has its VM deleted. The outcome is logged: nobody waits for it.
         */
        void cancel(CompletableFuture<ProvisionedVm> provisioned) {
            cancelled = true;
            String after = "the provisioning of VM " + spec.name() + " was cancelled";
            provisioned.whenComplete((vm, failure) -> {
                if (vm == null) {
                    LOG.log(System.Logger.Level.INFO, () -> after + ": " + failure.getMessage());
                } else if (spec.keepOnFailure()) {
                    LOG.log(System.Logger.Level.INFO, () -> after + "; VM " + vm.name() + " is kept");
                } else {
                    deleting(vm, CLEANUP_TIMEOUT).subscribe(outcome -> outcome.log(after));
                }
            });
        }

        private ProvisionedVm provisioned(Networking networking, NetworkInterface nic, VirtualMachine vm,
                String jitPolicyId) {
            PublicIpAddress ip = networking.publicIp();
            return new ProvisionedVm(spec.resourceGroup(), spec.createResourceGroup(), spec.name(), vm.id(),
                    vm.vmId(), nic.id(), ip == null ? null : ip.id(), networking.nsg().id(),
                    networking.networkOwned() ? networking.network().id() : null, vm.osDiskId(),
                    ip == null ? null : ip.ipAddress(), nic.primaryPrivateIP(), ip == null ? null : ip.fqdn(),
                    spec.adminUsername(), spec.sshPort(), jitPolicyId);
        }

        /** The id of the VM's just-in-time policy, created when the spec asks for one. */
        private Mono<Optional<String>> jitPolicy(VirtualMachine vm) {
            if (!spec.jit()) {
                return Mono.just(Optional.empty());
            }
            return step("creating just-in-time policy " + JitAccess.policyName(spec.name()),
                    Mono.defer(() -> new JitAccess(azure).ensurePolicy(spec.resourceGroup(), spec.region(),
                            spec.name(), vm.id(), spec.sshPort(), spec.sshSource()))
                            .doOnNext(id -> created.add(new OwnedResource(OwnedResource.Kind.JIT_POLICY, id))))
                    .map(Optional::of);
        }

        /** The NSG, virtual network and public IP, created in parallel; each that succeeds is recorded. */
        private Mono<Networking> createNetworking() {
            Mono<Optional<PublicIpAddress>> ip = spec.publicIp()
                    ? named("creating public IP " + spec.name() + "-ip",
                            tracked(OwnedResource.Kind.PUBLIC_IP,
                                    "Microsoft.Network/publicIPAddresses/" + spec.name() + "-ip", createPublicIp())).map(Optional::of)
                    : Mono.just(Optional.empty());
            Mono<Network> network = spec.usesExistingSubnet()
                    ? named("reading subnet " + spec.existingSubnetId(), existingNetwork())
                    : named("creating virtual network " + spec.name() + "-vnet",
                            tracked(OwnedResource.Kind.VIRTUAL_NETWORK,
                                    "Microsoft.Network/virtualNetworks/" + spec.name() + "-vnet", createVirtualNetwork()));
            return Mono.zipDelayError(
                    named("creating network security group " + spec.name() + "-nsg",
                            tracked(OwnedResource.Kind.NETWORK_SECURITY_GROUP,
                                    "Microsoft.Network/networkSecurityGroups/" + spec.name() + "-nsg", createNsg())),
                    network, ip)
                    .map(parts -> new Networking(parts.getT1(), parts.getT2(), subnetName(),
                            !spec.usesExistingSubnet(), parts.getT3().orElse(null)));
        }

        private String subnetName() {
            String id = spec.existingSubnetId();
            return id == null ? SUBNET : id.substring(id.lastIndexOf('/') + 1);
        }

        /** The network of the existing subnet, which must have that subnet. */
        private Mono<Network> existingNetwork() {
            String id = spec.existingSubnetId();
            String networkId = id.substring(0, id.toLowerCase(Locale.ROOT).lastIndexOf("/subnets/"));
            return azure.network().networks().getByIdAsync(networkId).map(network -> {
                boolean found = network.subnets().keySet().stream().anyMatch(subnetName()::equalsIgnoreCase);
                if (!found) {
                    throw new IllegalStateException("virtual network " + network.name() + " has no subnet "
                            + subnetName() + " (it has: " + String.join(", ", network.subnets().keySet()) + ")");
                }
                return network;
            });
        }

        private Mono<VirtualMachine> createVm(NetworkInterface nic) {
            return step("creating VM " + spec.name(), tracked(OwnedResource.Kind.VIRTUAL_MACHINE,
                    "Microsoft.Compute/virtualMachines/" + spec.name(), Mono.defer(() -> defineVm(nic))))
                    .doOnNext(vm -> created.add(new OwnedResource(OwnedResource.Kind.OS_DISK, vm.osDiskId())))
                    .onErrorResume(e -> !AzureErrors.isBadRequest(e),
                            e -> recordVmLeftByFailure().then(Mono.error(e)));
        }

        /** A VM create that failed late or timed out may have left the VM (and its disk) behind. */
        private Mono<Void> recordVmLeftByFailure() {
            return Deadline.after(Duration.ofMinutes(1)).within(Mono.defer(() -> azure.compute().virtualMachines()
                    .getByResourceGroupAsync(spec.resourceGroup(), spec.name())), "reading VM " + spec.name())
                    .doOnNext(vm -> {
                        created.add(new OwnedResource(OwnedResource.Kind.VIRTUAL_MACHINE, vm.id()));
                        if (vm.osDiskId() != null) {
                            created.add(new OwnedResource(OwnedResource.Kind.OS_DISK, vm.osDiskId()));
                        }
                    })
                    // nothing to record: a 404, or unreadable (then the exception's message lists what is known)
                    .then().onErrorResume(notThere -> Mono.empty());
        }

        /**
         * Reads the power state until it is running, pausing {@link #powerStatePoll} between reads, iteratively (the
         * stack does not grow with the reads).
         */
        private Mono<Void> waitUntilRunning(VirtualMachine vm) {
            String what = "waiting for VM " + spec.name() + " to run";
            return step(what, Mono.defer(vm::refreshInstanceViewAsync))
                    .switchIfEmpty(Mono.error(() -> new AzureVmException(what + ": no instance view")))
                    .flatMap(view -> {
                        PowerState state = PowerState.fromInstanceView(view);
                        if (PowerState.RUNNING.equals(state)) {
                            return Mono.<Void>empty();
                        }
                        if (deadline.passed()) {
                            return Mono.error(new AzureVmException("VM " + spec.name() + " is not running within "
                                    + deadline.total().toSeconds() + " s (power state: " + state + ")"));
                        }
                        return Mono.error(new NotRunningYet());
                    })
                    // a retry, not a repeat: a repeat cancels the read that answered, which may interrupt its thread
                    .retryWhen(Retry.from(reads -> reads.concatMap(read -> read.failure() instanceof NotRunningYet
                            ? deadline.pause(powerStatePoll) : Mono.error(read.failure()))));
        }

        /** {@code call} as the current step, within the deadline. */
        private <T> Mono<T> step(String what, Mono<T> call) {
            return Mono.defer(() -> {
                if (cancelled) {
                    return Mono.error(new AzureVmException("cancelled before " + what));
                }
                step = what;
                return deadline.within(call, what);
            });
        }

        /**
         * {@code create}, recorded before it starts as unconfirmed (a failed or unanswered create may leave the
         * resource, {@code Failed}) and once answered as created.
         *
         * @param path the resource's id below the resource group, {@code Microsoft.Network/…/name}
         */
        private <T extends HasId> Mono<T> tracked(OwnedResource.Kind kind, String path, Mono<T> create) {
            String planned = "/subscriptions/" + azure.subscriptionId() + "/resourceGroups/" + spec.resourceGroup()
                    + "/providers/" + path;
            return Mono.defer(() -> {
                created.add(new OwnedResource(kind, planned, false));
                return create;
            }).doOnNext(resource -> created.add(new OwnedResource(kind, resource.id())));
        }

        private Mono<Void> checkNames() {
            return step("checking resource group " + spec.resourceGroup(), Mono.defer(() -> azure.resources()
                    .resourceGroups().manager().serviceClient().getResourceGroups()
                    .checkExistenceAsync(spec.resourceGroup()))).flatMap(exists -> {
                        if (spec.createResourceGroup() && exists) {
                            return Mono.error(new IllegalStateException("resource group " + spec.resourceGroup()
                                    + " exists already; to use it, do not ask for a new one"));
                        }
                        if (!spec.createResourceGroup() && !exists) {
                            return Mono.error(new IllegalStateException("resource group " + spec.resourceGroup()
                                    + " does not exist"));
                        }
                        if (spec.createResourceGroup()) {
                            return Mono.empty();
                        }
                        // on failure we delete the VM of this name: it must be ours
                        return step("checking that no VM " + spec.name() + " exists", Mono.defer(() -> azure
                                .compute().virtualMachines().getByResourceGroupAsync(spec.resourceGroup(),
                                        spec.name()))
                                .map(vm -> true).onErrorResume(AzureErrors::isNotFound, e -> Mono.just(false)))
                                .flatMap(vmExists -> vmExists ? Mono.error(new IllegalStateException("a VM "
                                        + spec.name() + " exists already in resource group " + spec.resourceGroup()
                                        + "; it is left alone")) : Mono.empty());
                    }).then();
        }

        private Mono<NetworkSecurityGroup> createNsg() {
            var rule = azure.network().networkSecurityGroups().define(spec.name() + "-nsg").withRegion(region)
                    .withExistingResourceGroup(spec.resourceGroup())
                    .defineRule("ssh");
            if (spec.jit()) {
                // just-in-time requests add allow rules of higher priority, each for a while
                return rule.denyInbound().fromAnyAddress().fromAnyPort().toAnyAddress().toPort(spec.sshPort())
                        .withProtocol(SecurityRuleProtocol.TCP).withPriority(4096)
                        .withDescription("SSH only through just-in-time requests").attach().withTags(tags).createAsync();
            }
            var allow = rule.allowInbound();
            var from = VmSpec.ANY_SOURCE.equals(spec.sshSource()) ? allow.fromAnyAddress()
                    : allow.fromAddress(spec.sshSource());
            return from.fromAnyPort().toAnyAddress().toPort(spec.sshPort()).withProtocol(SecurityRuleProtocol.TCP)
                    .withPriority(100).withDescription("SSH from " + spec.sshSource() + " only").attach()
                    .withTags(tags).createAsync();
        }

        private Mono<PublicIpAddress> createPublicIp() {
            var ip = azure.network().publicIpAddresses().define(spec.name() + "-ip").withRegion(region)
                    .withExistingResourceGroup(spec.resourceGroup()).withSku(PublicIPSkuType.STANDARD)
                    .withStaticIP().withTags(tags);
            return (spec.dnsLabel() == null ? ip : ip.withLeafDomainLabel(spec.dnsLabel())).createAsync();
        }

        private Mono<Network> createVirtualNetwork() {
            return azure.network().networks().define(spec.name() + "-vnet").withRegion(region)
                    .withExistingResourceGroup(spec.resourceGroup()).withAddressSpace("10.0.0.0/16")
                    .withSubnet(SUBNET, "10.0.0.0/24").withTags(tags).createAsync();
        }

        private Mono<NetworkInterface> createNic(Networking networking) {
            var nic = azure.network().networkInterfaces().define(spec.name() + "-nic").withRegion(region)
                    .withExistingResourceGroup(spec.resourceGroup()).withExistingPrimaryNetwork(networking.network())
                    .withSubnet(networking.subnetName()).withPrimaryPrivateIPAddressDynamic()
                    .withExistingNetworkSecurityGroup(networking.nsg()).withTags(tags);
            if (networking.publicIp() != null) {
                nic = nic.withExistingPrimaryPublicIPAddress(networking.publicIp()).withPrimaryPublicIPAddressDeleteOptions(
                        spec.deleteWithVm().publicIp() ? com.azure.resourcemanager.network.models.DeleteOptions.DELETE
                                : com.azure.resourcemanager.network.models.DeleteOptions.DETACH);
            }
            return nic.createAsync();
        }

        private <T> Mono<T> named(String what, Mono<T> call) {
            return call.onErrorMap(e -> !(e instanceof StepFailure), e -> new StepFailure(what, e));
        }

        private Mono<VirtualMachine> defineVm(NetworkInterface nic) {
            var withImage = azure.compute().virtualMachines().define(spec.name()).withRegion(region)
                    .withExistingResourceGroup(spec.resourceGroup()).withExistingPrimaryNetworkInterface(nic);
            ImageUrn image = spec.imageUrn();
            var withUser = image.isLatest()
                    ? withImage.withLatestLinuxImage(image.publisher(), image.offer(), image.sku())
                    : withImage.withSpecificLinuxImageVersion(new ImageReference().withPublisher(image.publisher())
                            .withOffer(image.offer()).withSku(image.sku()).withVersion(image.version()));
            List<SshPublicKey> keys = spec.sshKeys();
            var linux = withUser.withRootUsername(spec.adminUsername()).withSsh(keys.get(0).toLine());
            for (SshPublicKey key : keys.subList(1, keys.size())) {
                linux = linux.withSsh(key.toLine());
            }
            DeleteWithVm deleteWithVm = spec.deleteWithVm();
            var options = linux.withComputerName(spec.computerName());
            CloudConfig cloudConfig = spec.cloudConfig();
            if (!cloudConfig.isEmpty()) {
                options = options.withCustomData(cloudConfig.customData());
            }
            return options.withSize(VirtualMachineSizeTypes.fromString(spec.size()))
                    .withOSDiskName(spec.name() + "-osdisk")
                    .withOSDiskDeleteOptions(deleteWithVm.osDisk() ? DeleteOptions.DELETE : DeleteOptions.DETACH)
                    .withPrimaryNetworkInterfaceDeleteOptions(
                            deleteWithVm.networkInterface() ? DeleteOptions.DELETE : DeleteOptions.DETACH)
                    .withTags(vmTags())
                    .createAsync();
        }

        /** The VM's tags: ours, and the name of its just-in-time policy when it gets one. */
        private Map<String, String> vmTags() {
            if (!spec.jit()) {
                return tags;
            }
            Map<String, String> all = new LinkedHashMap<>(tags);
            all.put(JIT_POLICY_TAG, JitAccess.policyName(spec.name()));
            return all;
        }

        /** Deletes what this run created (unless asked to keep it) and says so in the exception. */
        private Mono<ProvisioningException> cleanUpAfter(Throwable e) {
            Throwable failure = Exceptions.unwrapMultiple(e).get(0);
            String failedStep = step;
            if (failure instanceof StepFailure stepFailure) {
                failedStep = stepFailure.step;
                failure = stepFailure.getCause();
            }
            String failed = failedStep;
            Throwable cause = failure;
            List<OwnedResource> ours = List.copyOf(created);
            if (spec.keepOnFailure()) {
                return Mono.just(new ProvisioningException(spec.name(), failed, cause, List.of(), ours.stream()
                        .filter(OwnedResource::confirmed).map(OwnedResource::toString).distinct().toList(), true));
            }
            return cleanUp(ours).map(outcome -> new ProvisioningException(spec.name(), failed, cause,
                    outcome.deleted(), outcome.left(), false));
        }

        private Mono<ResourceCleanup.Outcome> cleanUp(List<OwnedResource> ours) {
            return new ResourceCleanup(azure, Map.of(OWNER_TAG, tags.get(OWNER_TAG), CREATED_TAG,
                    tags.get(CREATED_TAG))).deleting(ours, Deadline.after(CLEANUP_TIMEOUT));
        }
    }

    /** What the NIC needs; {@code networkOwned} when we created the network (else it is an existing subnet's). */
    private record Networking(NetworkSecurityGroup nsg, Network network, String subnetName, boolean networkOwned,
            PublicIpAddress publicIp) {}

    /** A VM read that found it not yet running: read again after a pause. */
    private static final class NotRunningYet extends RuntimeException {
        NotRunningYet() {
            super("not running yet", null, false, false);
        }
    }

    /** A failure in one of several steps run together, naming the step. */
    private static final class StepFailure extends RuntimeException {
        private final String step;

        StepFailure(String step, Throwable cause) {
            super(step + ": " + AzureErrors.describe(cause), cause);
            this.step = step;
        }
    }
}
