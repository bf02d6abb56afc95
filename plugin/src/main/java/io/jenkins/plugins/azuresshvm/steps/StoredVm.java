package io.jenkins.plugins.azuresshvm.steps;

import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import java.io.Serializable;

/**
 * Core's {@link ProvisionedVm} as Jenkins persists it, field by field: in a cloud agent's {@code config.xml} and in a
 * Pipeline step's state, so that deleting the VM works after a controller restart.
 */
public final class StoredVm implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String resourceGroup;
    private final boolean resourceGroupCreated;
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

    public StoredVm(ProvisionedVm vm) {
        resourceGroup = vm.resourceGroup();
        resourceGroupCreated = vm.resourceGroupCreated();
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
    }

    /** The VM as core deletes it. */
    public ProvisionedVm provisioned() {
        return new ProvisionedVm(resourceGroup, resourceGroupCreated, name, vmResourceId, vmId, networkInterfaceId,
                publicIpId, networkSecurityGroupId, virtualNetworkId, osDiskId, publicIp, privateIp, fqdn,
                adminUsername, sshPort, jitPolicyId);
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
}
