package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.vm.HostKeyPair;
import io.jenkins.plugins.azuresshvm.emulator.vm.LinuxVm;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Linux virtual machines: each one boots a real sshd through the {@link VmRuntime} on the loopback address of its
 * primary NIC's public IP, owns a managed OS disk, answers instance views and runs scripts with run-command. VM names
 * are unique across the emulator (the runtime knows VMs by name).
 */
final class VirtualMachines {

    private final ResourceStore store;
    private final NetworkResources network;
    private final LoopbackAddresses addresses;
    private final VmRuntime runtime;
    private final Operations operations;
    private final Executor executor;
    private final Map<String, RunningVm> running = new ConcurrentHashMap<>();

    /** A booted VM and what is injected into it. */
    private static final class RunningVm {
        final String name;
        final LinuxVm vm;
        final String privateLoopback;
        final Instant created = Instant.now();
        volatile Set<RunCommandFault> faults = Set.of();
        RunCommandOperation runCommand;

        RunningVm(String name, LinuxVm vm, String privateLoopback) {
            this.name = name;
            this.vm = vm;
            this.privateLoopback = privateLoopback;
        }
    }

    VirtualMachines(ResourceStore store, NetworkResources network, LoopbackAddresses addresses, VmRuntime runtime,
            Operations operations, Executor executor) {
        this.store = store;
        this.network = network;
        this.addresses = addresses;
        this.runtime = runtime;
        this.operations = operations;
        this.executor = executor;
    }

    ArmResponse put(ResourceId id, ObjectNode body) {
        VmValidation.vmName(id.name());
        synchronized (store) {
            ObjectNode existing = store.get(id);
            if (existing != null) {
                return ArmResponse.of(200, update(existing, body).deepCopy());
            }
            ObjectNode vm = TrackedResources.fromPut(id.toString(), id.name(), ResourceId.VM, body, null);
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
            List<HostKeyPair> hostKeys = CustomData.hostKeys(Json.text(osProfile, "/customData"));
            List<ObjectNode> nics = nics(properties, id);
            if (running.containsKey(id.name().toLowerCase(Locale.ROOT))) {
                throw new ArmError(409, "Conflict", "The emulator already runs a VM named '" + id.name()
                        + "' in another resource group; VM names are unique across the emulator.");
            }
            String address = network.primaryPublicAddress(nics.get(0));
            String privateLoopback = address == null ? addresses.allocate() : null;
            LinuxVm booted;
            try {
                booted = runtime.create(new VmSpec(id.name(), address == null ? privateLoopback : address,
                        adminUsername, keys, hostKeys));
            } catch (IOException | RuntimeException e) {
                addresses.release(privateLoopback);
                throw new ArmError(500, "InternalServerError", "VM '" + id.name() + "' failed to boot: " + e);
            }
            running.put(id.name().toLowerCase(Locale.ROOT), new RunningVm(id.name(), booted, privateLoopback));

            osProfile.remove(List.of("adminPassword", "customData"));
            osProfile.put("allowExtensionOperations", true);
            osProfile.put("requireGuestProvisionSignal", true);
            properties.put("vmId", UUID.randomUUID().toString());
            properties.put("timeCreated", Instant.now().toString());
            store.put(osDisk(vm));
            for (ObjectNode nic : nics) {
                TrackedResources.properties(nic).set("virtualMachine", TrackedResources.reference(id.toString()));
            }
            store.put(vm);
            return ArmResponse.of(201, vm.deepCopy());
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
        ObjectNode view = Json.object();
        view.put("computerName", Json.text(vm, "/properties/osProfile/computerName"));
        view.put("osName", "ubuntu");
        view.put("osVersion", "24.04");
        ObjectNode agent = view.putObject("vmAgent");
        agent.put("vmAgentVersion", "2.13.1.1");
        if (state.faults.contains(RunCommandFault.AGENT_NOT_READY)) {
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
        status(statuses, "ProvisioningState/succeeded", "Info", "Provisioning succeeded", time);
        status(statuses, "PowerState/running", "Info", "VM running", null);
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
        try {
            runtime.delete(state.name);
        } catch (IOException e) {
            throw new ArmError(500, "InternalServerError", "Could not stop VM '" + name + "': " + e);
        } finally {
            addresses.release(state.privateLoopback);
        }
    }

    /** POST {@code runCommand}: 202 pointing at the operation, or 409 while the VM's previous one runs. */
    ArmResponse runCommand(ResourceId id, ObjectNode body, String baseUrl, String apiVersion) {
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
            state.runCommand = RunCommandOperation.start(operationId, state.name, state.vm, String.join("\n", lines),
                    state.faults, executor);
        }
        operations.add(operationId, state.runCommand);
        String operationUrl = baseUrl + "/subscriptions/" + id.subscription() + "/providers/Microsoft.Compute/locations/"
                + vm.get("location").asText() + "/operations/" + operationId + "?p=" + UUID.randomUUID()
                + "&api-version=" + apiVersion;
        return ArmResponse.accepted(operationUrl, operationUrl + "&monitor=true");
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
        state.vm.presentForeignHostKeys(foreignHostKeys);
        state.faults = Set.copyOf(faults);
    }
}
