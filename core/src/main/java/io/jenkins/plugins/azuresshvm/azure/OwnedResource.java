package io.jenkins.plugins.azuresshvm.azure;

/** A resource we created and may delete. */
record OwnedResource(Kind kind, String id) {

    /** The kinds we create, in the order they can be deleted (the VM's just-in-time policy first, closing
     * its SSH port, then the VM before its disk and NIC, a NIC before its IP…). */
    enum Kind {
        JIT_POLICY("just-in-time policy", "Microsoft.Security/locations/jitNetworkAccessPolicies"),
        VIRTUAL_MACHINE("VM", "Microsoft.Compute/virtualMachines"),
        OS_DISK("OS disk", "Microsoft.Compute/disks"),
        NETWORK_INTERFACE("network interface", "Microsoft.Network/networkInterfaces"),
        VIRTUAL_NETWORK("virtual network", "Microsoft.Network/virtualNetworks"),
        PUBLIC_IP("public IP", "Microsoft.Network/publicIPAddresses"),
        NETWORK_SECURITY_GROUP("network security group", "Microsoft.Network/networkSecurityGroups"),
        RESOURCE_GROUP("resource group", "Microsoft.Resources/resourceGroups");

        private final String label;
        private final String armType;

        Kind(String label, String armType) {
            this.label = label;
            this.armType = armType;
        }

        String armType() {
            return armType;
        }

        /** The kind of ARM type {@code type} (compared without case), or {@code null} for one we never create. */
        static Kind ofArmType(String type) {
            for (Kind kind : values()) {
                if (kind.armType.equalsIgnoreCase(type)) {
                    return kind;
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return kind.label + " " + id.substring(id.lastIndexOf('/') + 1);
    }
}
