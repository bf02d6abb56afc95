package io.jenkins.plugins.azuresshvm.steps;

import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM a step created and verified: what deleting it needs (ARM ids) and what the Pipeline sees (addresses, user,
 * verified host keys). Serializable field by field, as Pipeline persists step state.
 */
final class CreatedVm implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StoredVm vm;
    private final ArrayList<String> fingerprints;
    private final ArrayList<String> knownHostsLines;

    CreatedVm(VerifiedVm verified) {
        vm = new StoredVm(verified.vm());
        fingerprints = new ArrayList<>(verified.hostKeys().keys().stream().map(CreatedVm::fingerprint).toList());
        knownHostsLines = new ArrayList<>(verified.knownHostsLines());
    }

    /** E.g. {@code ssh-ed25519 SHA256:…}. */
    static String fingerprint(SshPublicKey key) {
        return key.algorithm() + " " + key.fingerprint();
    }

    /** The VM as core deletes it; its resource group is never ours (steps use existing groups). */
    ProvisionedVm provisioned() {
        return vm.provisioned();
    }

    String name() {
        return vm.name();
    }

    String resourceGroup() {
        return vm.resourceGroup();
    }

    String host() {
        return vm.host();
    }

    String fqdn() {
        return vm.fqdn();
    }

    String adminUsername() {
        return vm.adminUsername();
    }

    int sshPort() {
        return vm.sshPort();
    }

    List<String> fingerprints() {
        return List.copyOf(fingerprints);
    }

    List<String> knownHostsLines() {
        return List.copyOf(knownHostsLines);
    }

    /**
     * What {@code azureSshVmCreate} returns: name, resourceGroup, host, fqdn, user, port, fingerprints, knownHosts —
     * plain serializable values a Pipeline script may keep across restarts.
     */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name());
        map.put("resourceGroup", resourceGroup());
        map.put("host", host());
        map.put("fqdn", fqdn());
        map.put("user", adminUsername());
        map.put("port", sshPort());
        map.put("fingerprints", new ArrayList<>(fingerprints));
        map.put("knownHosts", new ArrayList<>(knownHostsLines));
        return map;
    }
}
