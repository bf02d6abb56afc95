package io.jenkins.plugins.azuresshvm.azure;

/**
 * A resource we created, or asked ARM to create without learning whether it did ({@code confirmed} false: the
 * create failed or got no answer, yet may have left it, as a {@code Failed} operation does).
 */
record OwnedResource(Kind kind, String id, boolean confirmed) {

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

    /** A resource ARM said it created. */
    OwnedResource(Kind kind, String id) {
        this(kind, id, true);
    }

    /** {@code VM vm1} */
    @Override
    public String toString() {
        return kind.label + " " + id.substring(id.lastIndexOf('/') + 1);
    }

    /** {@code VM /subscriptions/…/virtualMachines/vm1}: what a user needs to find it. */
    String withId() {
        return kind.label + " " + id;
    }
}
