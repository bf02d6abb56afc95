package io.jenkins.plugins.azuresshvm.agents;

import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;

/**
 * What an agent keeps of its VM so that deleting it works after a controller restart: core's {@link ProvisionedVm},
 * as a plain class that the agent's {@code config.xml} holds field by field.
 */
final class AgentVm {
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

    AgentVm(ProvisionedVm vm) {
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

    ProvisionedVm provisioned() {
        return new ProvisionedVm(resourceGroup, resourceGroupCreated, name, vmResourceId, vmId, networkInterfaceId,
                publicIpId, networkSecurityGroupId, virtualNetworkId, osDiskId, publicIp, privateIp, fqdn,
                adminUsername, sshPort, jitPolicyId);
    }
}
