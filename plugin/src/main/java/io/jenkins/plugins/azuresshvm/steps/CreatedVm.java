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

    private final String resourceGroup;
    private final String name;
    private final String vmResourceId;
    private final String vmId;
    private final String networkInterfaceId;
    private final String publicIpId;
    private final String networkSecurityGroupId;
    private final String virtualNetworkId;
    private final String osDiskId;
    private final String publicIp;
    private final String privateIp;
    private final String fqdn;
    private final String adminUsername;
    private final int sshPort;
    private final String jitPolicyId;
    private final ArrayList<String> fingerprints;
    private final ArrayList<String> knownHostsLines;

    CreatedVm(VerifiedVm verified) {
        ProvisionedVm vm = verified.vm();
        resourceGroup = vm.resourceGroup();
        name = vm.name();
        vmResourceId = vm.vmResourceId();
        vmId = vm.vmId();
        networkInterfaceId = vm.networkInterfaceId();
        publicIpId = vm.publicIpId();
        networkSecurityGroupId = vm.networkSecurityGroupId();
        virtualNetworkId = vm.virtualNetworkId();
        osDiskId = vm.osDiskId();
        publicIp = vm.publicIp();
        privateIp = vm.privateIp();
        fqdn = vm.fqdn();
        adminUsername = vm.adminUsername();
        sshPort = vm.sshPort();
        jitPolicyId = vm.jitPolicyId();
        fingerprints = new ArrayList<>(verified.hostKeys().keys().stream().map(CreatedVm::fingerprint).toList());
        knownHostsLines = new ArrayList<>(verified.knownHostsLines());
    }

    /** E.g. {@code ssh-ed25519 SHA256:…}. */
    static String fingerprint(SshPublicKey key) {
        return key.algorithm() + " " + key.fingerprint();
    }

    /** The VM as core deletes it; its resource group is never ours (steps use existing groups). */
    ProvisionedVm provisioned() {
        return new ProvisionedVm(resourceGroup, false, name, vmResourceId, vmId, networkInterfaceId, publicIpId,
                networkSecurityGroupId, virtualNetworkId, osDiskId, publicIp, privateIp, fqdn, adminUsername,
                sshPort, jitPolicyId);
    }

    String name() {
        return name;
    }

    String resourceGroup() {
        return resourceGroup;
    }

    String host() {
        return publicIp != null ? publicIp : privateIp;
    }

    String fqdn() {
        return fqdn;
    }

    String adminUsername() {
        return adminUsername;
    }

    int sshPort() {
        return sshPort;
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
        map.put("name", name);
        map.put("resourceGroup", resourceGroup);
        map.put("host", host());
        map.put("fqdn", fqdn);
        map.put("user", adminUsername);
        map.put("port", sshPort);
        map.put("fingerprints", new ArrayList<>(fingerprints));
        map.put("knownHosts", new ArrayList<>(knownHostsLines));
        return map;
    }
}
