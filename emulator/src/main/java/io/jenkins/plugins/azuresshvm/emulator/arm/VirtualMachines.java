package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.vm.LinuxVm;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Linux virtual machines: each one boots a real sshd through the {@link VmRuntime} on the loopback address of its
 * primary NIC's public IP, owns a managed OS disk, answers instance views and runs scripts with run-command. VM names
 * are unique across the emulator (the runtime knows VMs by name). Creation takes {@link Latencies#vmCreate()}, and
 * sshd starts {@link Latencies#vmBoot()} after it succeeds; a VM whose creation failed keeps its resources (NICs
 * attached, OS disk) but never boots.
 */
final class VirtualMachines {

    private final ResourceStore store;
    private final NetworkResources network;
    private final LoopbackAddresses addresses;
    private final VmRuntime runtime;
    private final Operations operations;
    private final Executor executor;
    private final Latencies latencies;
    private final Map<String, RunningVm> running = new ConcurrentHashMap<>();

    /** A VM from its PUT to its deletion: booting, booted (or failed to), and what is injected into it. */
    private static final class RunningVm {
        final VmSpec spec;
        final String privateLoopback;
        final Instant created = Instant.now();
        final CompletableFuture<LinuxVm> booted = new CompletableFuture<>();
        volatile Set<RunCommandFault> faults = Set.of();
        RunCommandOperation runCommand;
        boolean stopped;

        RunningVm(VmSpec spec, String privateLoopback) {
            this.spec = spec;
            this.privateLoopback = privateLoopback;
        }

        String name() {
            return spec.name();
        }

        boolean isBooted() {
            return booted.isDone() && !booted.isCompletedExceptionally();
        }
    }

    VirtualMachines(ResourceStore store, NetworkResources network, LoopbackAddresses addresses, VmRuntime runtime,
            Operations operations, Executor executor, Latencies latencies) {
        this.store = store;
        this.network = network;
        this.addresses = addresses;
        this.runtime = runtime;
        this.operations = operations;
        this.executor = executor;
        this.latencies = latencies;
    }

    /**
     * A VM PUT. As an operation: 201 {@code Creating} at once, then the operation runs for the create latency. Else
     * the answer waits as long, and a VM that fails to boot is forgotten (500).
     */
    ArmResponse put(ResourceId id, ArmRequest request) {
        ObjectNode body = request.json();
        VmValidation.vmName(id.name());
        boolean longRunning = operations.longRunning(request);
        RunningVm state;
        ObjectNode vm;
        synchronized (store) {
            ObjectNode existing = store.get(id);
            if (existing != null) {
                ArmResponse answer = ArmResponse.of(200, update(existing, body).deepCopy());
                return longRunning ? updateOperation(id, request, answer) : answer;
            }
            vm = TrackedResources.fromPut(id.toString(), id.name(), ResourceId.VM, body, null);
            ObjectNode properties = TrackedResources.properties(vm);
            String adminUsername = Json.text(properties, "/osProfile/adminUsername");
            if (adminUsername == null) {
                throw ArmError.invalidParameter("osProfile.adminUsername",
                        "Required parameter 'adminUsername' is missing (null).");
            }
            VmValidation.adminUsername(adminUsername);
            ObjectNode osProfile = Json.with(properties, "osProfile");
            String computerName = Json.text(osProfile, "/computerName");
            if (computerName == null) {
                computerName = id.name();
                osProfile.put("computerName", computerName);
            }
            VmValidation.computerName(computerName);
            List<String> keys = authorizedKeys(osProfile, adminUsername);
            CustomData customData = CustomData.read(Json.text(osProfile, "/customData"));
            List<ObjectNode> nics = nics(properties, id);
            if (running.containsKey(id.name().toLowerCase(Locale.ROOT))) {
                throw new ArmError(409, "Conflict", "The emulator already runs a VM named '" + id.name()
                        + "' in another resource group; VM names are unique across the emulator.");
            }
            String address = network.primaryPublicAddress(nics.get(0));
            String privateLoopback = address == null ? addresses.allocate() : null;
            state = new RunningVm(new VmSpec(id.name(), address == null ? privateLoopback : address, adminUsername,
                    keys, customData.hostKeys(), customData.sshPort(), customData.sshdDropIns()), privateLoopback);
            running.put(id.name().toLowerCase(Locale.ROOT), state);

            osProfile.remove(List.of("adminPassword", "customData"));
            osProfile.put("allowExtensionOperations", true);
            osProfile.put("requireGuestProvisionSignal", true);
            properties.put("vmId", UUID.randomUUID().toString());
            properties.put("timeCreated", Instant.now().toString());
            properties.put("provisioningState", "Creating");
            store.put(osDisk(vm));
            for (ObjectNode nic : nics) {
                TrackedResources.properties(nic).set("virtualMachine", TrackedResources.reference(id.toString()));
            }
            store.put(vm);
            vm = vm.deepCopy();
        }
        CompletableFuture<Void> created = create(id, state, request.failure());
        if (longRunning) {
            return operations.answer(request, ArmResponse.of(201, vm), "Microsoft.Compute",
                    vm.get("location").asText(), created);
        }
        try {
            created.join();
        } catch (CompletionException e) {
            forget(id);
            throw e.getCause() instanceof ArmError error ? error : e;
        }
        synchronized (store) {
            return ArmResponse.of(201, store.require(id).deepCopy());
        }
    }

    /** An existing VM's PUT as an operation: {@code Updating} until it ends. */
    private ArmResponse updateOperation(ResourceId id, ArmRequest request, ArmResponse answer) {
        ((ObjectNode) answer.body().get("properties")).put("provisioningState", "Updating");
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
            if (request.failure() != null) {
                provisioningState(id, "Failed");
                throw Operations.error(request.failure());
            }
        }, executor);
        return operations.answer(request, answer, "Microsoft.Compute", answer.body().get("location").asText(), work);
    }

    /**
     * After the create latency: fails (under an injected failure), or boots the VM (no boot latency) and succeeds;
     * with a boot latency, sshd starts that much later. The VM's provisioning state follows.
     */
    private CompletableFuture<Void> create(ResourceId id, RunningVm state, Fault.FailedOperation failure) {
        boolean bootLater = !latencies.vmBoot().isZero();
        return CompletableFuture.runAsync(() -> {
            if (failure != null) {
                throw Operations.error(failure);
            }
            if (!bootLater) {
                boot(state);
            }
        }, after(latencies.vmCreate())).whenComplete((ok, error) -> {
            provisioningState(id, error == null ? "Succeeded" : "Failed");
            if (error != null) {
                state.booted.completeExceptionally(error);
            } else if (bootLater) {
                CompletableFuture.runAsync(() -> boot(state), after(latencies.vmBoot()))
                        .exceptionally(bootError -> {
                            provisioningState(id, "Failed");
                            return null;
                        });
            }
        });
    }

    /** Starts the VM's sshd unless the VM was deleted meanwhile. */
    private void boot(RunningVm state) {
        synchronized (state) {
            if (state.stopped) {
                return;
            }
            try {
                state.booted.complete(runtime.create(state.spec));
            } catch (IOException | RuntimeException e) {
                ArmError error = new ArmError(500, "InternalServerError", "VM '" + state.name() + "' failed to boot: "
                        + e);
                state.booted.completeExceptionally(error);
                throw error;
            }
        }
    }

    private Executor after(java.time.Duration delay) {
        return CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, executor);
    }

    private void provisioningState(ResourceId id, String provisioningState) {
        synchronized (store) {
            ObjectNode vm = store.get(id);
            if (vm != null) {
                TrackedResources.properties(vm).put("provisioningState", provisioningState);
            }
        }
    }

    /** Undoes a VM's PUT: its sshd, its OS disk, its claim on its NICs and the VM itself. */
    private void forget(ResourceId id) {
        synchronized (store) {
            ObjectNode vm = store.get(id);
            if (vm == null) {
                return;
            }
            stop(id.name());
            for (JsonNode reference : vm.at("/properties/networkProfile/networkInterfaces")) {
                ObjectNode nic = store.get(reference.get("id").asText());
                if (nic != null) {
                    TrackedResources.properties(nic).remove("virtualMachine");
                }
            }
            store.remove(vm.at("/properties/storageProfile/osDisk/managedDisk/id").asText());
            store.remove(id.toString());
        }
    }

    /** A PUT on an existing VM: the emulator keeps the VM as booted and takes only its tags. */
    private static ObjectNode update(ObjectNode vm, ObjectNode body) {
        if (body.get("tags") instanceof ObjectNode tags) {
            vm.set("tags", tags.deepCopy());
        }
        return vm;
    }

    /** The VM's authorized_keys lines, each checked as Azure does. */
    private static List<String> authorizedKeys(ObjectNode osProfile, String adminUsername) {
        JsonNode linux = osProfile.path("linuxConfiguration");
        List<String> keys = new ArrayList<>();
        String expectedPath = "/home/" + adminUsername + "/.ssh/authorized_keys";
        for (JsonNode key : linux.at("/ssh/publicKeys")) {
            String path = Json.text(key, "/path");
            if (path != null && !path.equals(expectedPath)) {
                throw ArmError.invalidParameter("linuxConfiguration.ssh.publicKeys.path", "The value of parameter"
                        + " linuxConfiguration.ssh.publicKeys.path is invalid: only " + expectedPath
                        + " is supported.");
            }
            String keyData = Json.text(key, "/keyData");
            if (keyData == null) {
                throw ArmError.invalidParameter(VmValidation.KEY_TARGET, "Required parameter 'keyData' is missing.");
            }
            keys.add(VmValidation.sshPublicKey(keyData));
        }
        boolean passwordLogin = osProfile.hasNonNull("adminPassword")
                && !linux.path("disablePasswordAuthentication").asBoolean(false);
        if (keys.isEmpty() && !passwordLogin) {
            throw ArmError.invalidParameter("linuxConfiguration", "Authentication using either SSH or by user name"
                    + " and password must be enabled in Linux profile.");
        }
        return keys;
    }

    /** The VM's NICs, primary first; each must exist and be free. */
    private List<ObjectNode> nics(ObjectNode properties, ResourceId vmId) {
        JsonNode references = properties.at("/networkProfile/networkInterfaces");
        if (!references.isArray() || references.isEmpty()) {
            throw ArmError.invalidParameter("networkProfile", "Required parameter 'networkProfile' is missing (null).");
        }
        List<ObjectNode> nics = new ArrayList<>();
        for (JsonNode reference : references) {
            String nicId = Json.text(reference, "/id");
            ObjectNode nic = nicId == null ? null : store.get(nicId);
            if (nic == null) {
                throw ArmError.invalidReference(nicId, vmId.toString());
            }
            String user = Json.text(nic, "/properties/virtualMachine/id");
            if (user != null) {
                throw new ArmError(400, "NicInUse", "Network Interface " + nicId + " is used by existing resource "
                        + user + ". In order to use this network interface, first delete or disassociate it from the"
                        + " existing resource.");
            }
            if (reference.at("/properties/primary").asBoolean(false)) {
                nics.add(0, nic);
            } else {
                nics.add(nic);
            }
        }
        return nics;
    }

    /** Creates the OS disk resource and points the VM's storage profile at it. */
    private static ObjectNode osDisk(ObjectNode vm) {
        ObjectNode properties = TrackedResources.properties(vm);
        ObjectNode storage = Json.with(properties, "storageProfile");
        ObjectNode osDisk = Json.with(storage, "osDisk");
        String vmName = vm.get("name").asText();
        String diskName = Json.text(osDisk, "/name");
        if (diskName == null) {
            diskName = vmName + "_OsDisk_1_" + UUID.randomUUID().toString().replace("-", "");
            osDisk.put("name", diskName);
        }
        ResourceId diskId = ResourceId.parse(vm.get("id").asText()).sibling(ResourceId.DISK, diskName);
        ObjectNode managedDisk = Json.with(osDisk, "managedDisk");
        String storageType = managedDisk.path("storageAccountType").asText("Premium_LRS");
        managedDisk.put("storageAccountType", storageType);
        managedDisk.put("id", diskId.toString());
        osDisk.put("osType", "Linux");
        osDisk.put("createOption", osDisk.path("createOption").asText("FromImage"));
        osDisk.put("deleteOption", osDisk.path("deleteOption").asText("Detach"));
        osDisk.put("diskSizeGB", osDisk.path("diskSizeGB").asInt(30));

        ObjectNode disk = Json.object();
        disk.put("id", diskId.toString());
        disk.put("name", diskName);
        disk.put("type", ResourceId.DISK);
        disk.put("location", vm.get("location").asText());
        disk.set("tags", Json.object());
        disk.put("managedBy", vm.get("id").asText());
        disk.putObject("sku").put("name", storageType);
        ObjectNode diskProperties = disk.putObject("properties");
        diskProperties.put("osType", "Linux");
        ObjectNode creation = diskProperties.putObject("creationData");
        creation.put("createOption", "FromImage");
        if (storage.get("imageReference") instanceof ObjectNode image) {
            creation.set("imageReference", image.deepCopy());
        }
        diskProperties.put("diskSizeGB", osDisk.get("diskSizeGB").asInt());
        diskProperties.put("diskState", "Attached");
        diskProperties.put("provisioningState", "Succeeded");
        diskProperties.put("timeCreated", Instant.now().toString());
        return disk;
    }

    /** The VM, with its instance view when {@code expandInstanceView}. */
    ArmResponse get(ResourceId id, boolean expandInstanceView) {
        synchronized (store) {
            ObjectNode vm = store.require(id).deepCopy();
            if (expandInstanceView) {
                TrackedResources.properties(vm).set("instanceView", instanceView(vm));
            }
            return ArmResponse.of(200, vm);
        }
    }

    ArmResponse instanceView(ResourceId id) {
        synchronized (store) {
            return ArmResponse.of(200, instanceView(store.require(id)));
        }
    }

    private ObjectNode instanceView(ObjectNode vm) {
        RunningVm state = running.get(vm.get("name").asText().toLowerCase(Locale.ROOT));
        String time = state.created.toString();
        String provisioning = Json.text(vm, "/properties/provisioningState");
        ObjectNode view = Json.object();
        view.put("computerName", Json.text(vm, "/properties/osProfile/computerName"));
        view.put("osName", "ubuntu");
        view.put("osVersion", "24.04");
        ObjectNode agent = view.putObject("vmAgent");
        agent.put("vmAgentVersion", "2.13.1.1");
        if (state.faults.contains(RunCommandFault.AGENT_NOT_READY) || !state.isBooted()) {
            status(agent.putArray("statuses"), "ProvisioningState/Unavailable", "Warning", "Not Ready", time)
                    .put("message", "VM status blob is found but not yet populated.");
        } else {
            status(agent.putArray("statuses"), "ProvisioningState/succeeded", "Info", "Ready", time)
                    .put("message", "Guest Agent is running");
        }
        ObjectNode disk = view.putArray("disks").addObject();
        disk.put("name", Json.text(vm, "/properties/storageProfile/osDisk/name"));
        status(disk.putArray("statuses"), "ProvisioningState/succeeded", "Info", "Provisioning succeeded", time);
        view.put("hyperVGeneration", "V2");
        ArrayNode statuses = view.putArray("statuses");
        if ("Creating".equals(provisioning)) {
            status(statuses, "ProvisioningState/creating", "Info", "Creating", time);
            status(statuses, "PowerState/starting", "Info", "VM starting", null);
        } else if ("Failed".equals(provisioning)) {
            status(statuses, "ProvisioningState/failed", "Error", "Provisioning failed", time);
        } else {
            // as on Azure, running may be reported before sshd listens (boot latency)
            status(statuses, "ProvisioningState/succeeded", "Info", "Provisioning succeeded", time);
            status(statuses, "PowerState/running", "Info", "VM running", null);
        }
        return view;
    }

    private static ObjectNode status(ArrayNode statuses, String code, String level, String display, String time) {
        ObjectNode status = statuses.addObject();
        status.put("code", code);
        status.put("level", level);
        status.put("displayStatus", display);
        if (time != null) {
            status.put("time", time);
        }
        return status;
    }

    /** Deletes the VM: stops its sshd, then deletes or detaches its NICs and OS disk as their delete options say. */
    ArmResponse delete(ResourceId id) {
        synchronized (store) {
            ObjectNode vm = store.get(id);
            if (vm == null) {
                return ArmResponse.empty(204);
            }
            stop(vm.get("name").asText());
            ObjectNode properties = TrackedResources.properties(vm);
            for (JsonNode reference : properties.at("/networkProfile/networkInterfaces")) {
                ObjectNode nic = store.get(reference.get("id").asText());
                if (nic == null) {
                    continue;
                }
                if ("Delete".equalsIgnoreCase(Json.text(reference, "/properties/deleteOption"))) {
                    network.deleteWithVm(nic);
                } else {
                    TrackedResources.properties(nic).remove("virtualMachine");
                }
            }
            ObjectNode osDisk = (ObjectNode) properties.at("/storageProfile/osDisk");
            ObjectNode disk = store.get(osDisk.at("/managedDisk/id").asText());
            if (disk != null) {
                if ("Delete".equalsIgnoreCase(Json.text(osDisk, "/deleteOption"))) {
                    store.remove(disk.get("id").asText());
                } else {
                    disk.remove("managedBy");
                    TrackedResources.properties(disk).put("diskState", "Unattached");
                }
            }
            store.remove(vm.get("id").asText());
            return ArmResponse.empty(200);
        }
    }

    /** Stops the VM's sshd and forgets it; the resource stays in the store. */
    void stop(String name) {
        RunningVm state = running.remove(name.toLowerCase(Locale.ROOT));
        if (state == null) {
            return;
        }
        synchronized (state) {
            state.stopped = true;
            try {
                runtime.delete(state.name());
            } catch (IOException e) {
                throw new ArmError(500, "InternalServerError", "Could not stop VM '" + name + "': " + e);
            } finally {
                addresses.release(state.privateLoopback);
            }
        }
    }

    /** POST {@code runCommand}: 202 pointing at the operation, or 409 while the VM's previous one runs. */
    ArmResponse runCommand(ResourceId id, ArmRequest request) {
        ObjectNode body = request.json();
        ObjectNode vm;
        synchronized (store) {
            vm = store.require(id);
        }
        String commandId = Json.text(body, "/commandId");
        if (!"RunShellScript".equals(commandId)) {
            throw ArmError.invalidParameter("commandId", "The emulator runs only the RunShellScript command, not '"
                    + commandId + "'.");
        }
        List<String> lines = new ArrayList<>();
        body.path("script").forEach(line -> lines.add(line.asText()));
        RunningVm state = running.get(id.name().toLowerCase(Locale.ROOT));
        String operationId = Operations.newId();
        synchronized (state) {
            if (state.runCommand != null && !state.runCommand.isDone()) {
                throw new ArmError(409, "Conflict", "Run command extension execution is in progress. Please wait for"
                        + " completion before invoking a run command.");
            }
            state.runCommand = RunCommandOperation.start(operationId, state.name(), state.booted,
                    String.join("\n", lines), state.faults, request.failure(), after(latencies.runCommand()),
                    executor);
        }
        String operationUrl = operations.add(operationId, state.runCommand, request, "Microsoft.Compute",
                vm.get("location").asText());
        return ArmResponse.accepted(operationUrl, operationUrl + "&monitor=true");
    }

    /** The connections the running VM's sshd accepted; unknown names are an {@link IllegalArgumentException}. */
    List<SshConnection> sshConnections(String name) throws IOException {
        return booted(name).sshConnections();
    }

    /** Injects {@code attacks} into the VM named {@code name}, replacing those injected before. */
    void attack(String name, List<Attack> attacks) throws IOException {
        RunningVm state = running.get(name.toLowerCase(Locale.ROOT));
        if (state == null) {
            throw new IllegalArgumentException("No VM named '" + name + "' is running");
        }
        Set<String> foreignHostKeys = new HashSet<>();
        Set<RunCommandFault> faults = EnumSet.noneOf(RunCommandFault.class);
        for (Attack attack : attacks) {
            if (attack instanceof Attack.ForeignHostKeys foreign) {
                foreignHostKeys.addAll(foreign.types());
            } else {
                faults.add((RunCommandFault) attack);
            }
        }
        booted(name).presentForeignHostKeys(foreignHostKeys);
        state.faults = Set.copyOf(faults);
    }

    /** The booted VM named {@code name}; unknown or not yet booted is an {@link IllegalArgumentException}. */
    private LinuxVm booted(String name) {
        RunningVm state = running.get(name.toLowerCase(Locale.ROOT));
        if (state == null) {
            throw new IllegalArgumentException("No VM named '" + name + "' is running");
        }
        LinuxVm vm = state.booted.getNow(null);
        if (vm == null) {
            throw new IllegalArgumentException("VM '" + name + "' has not booted");
        }
        return vm;
    }
}
