package io.jenkins.plugins.azuresshvm.azure;

/**
 * A VM we created and saw running, with everything needed to reach it and to delete it.
 *
 * @param resourceGroup its resource group
 * @param resourceGroupCreated whether we created the group (and so delete it with the VM)
 * @param name the VM name
 * @param vmResourceId the VM's ARM id
 * @param vmId Azure's unique id of this VM instance ({@code vm.vmId()}): a re-created VM of the same name has another
 * @param networkInterfaceId its NIC
 * @param publicIpId its public IP resource, or {@code null} without one
 * @param networkSecurityGroupId the NSG on its NIC
 * @param virtualNetworkId the virtual network we created for its NIC (and delete with it), or {@code null} when the NIC
 *     is in an existing subnet, whose network is never ours to delete
 * @param osDiskId its OS disk
 * @param publicIp the public address, or {@code null}
 * @param privateIp the address in the virtual network
 * @param fqdn the public IP's DNS name ({@code <dnsLabel>.<region>.cloudapp.azure.com}), or {@code null} without a
 *     DNS label
 * @param adminUsername the user our keys log in as
 * @param sshPort the port the NSG opens for SSH
 * @param jitPolicyId the just-in-time access policy we created for its SSH port (deleted with it), or {@code null}
 */
public record ProvisionedVm(String resourceGroup, boolean resourceGroupCreated, String name, String vmResourceId,
        String vmId, String networkInterfaceId, String publicIpId, String networkSecurityGroupId,
        String virtualNetworkId, String osDiskId, String publicIp, String privateIp, String fqdn,
        String adminUsername, int sshPort, String jitPolicyId) {

    /** The address to connect to: the public one, else the private one. */
    public String host() {
        return publicIp != null ? publicIp : privateIp;
    }
}
