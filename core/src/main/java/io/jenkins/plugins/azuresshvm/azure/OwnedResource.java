package io.jenkins.plugins.azuresshvm.azure;

/** A resource we created and may delete. */
record OwnedResource(Kind kind, String id) {

    /** The kinds we create, in the order they can be deleted (the VM's just-in-time policy first, closing
     * its SSH port, then the VM before its disk and NIC, a NIC before its IP…). */
    enum Kind {
        JIT_POLICY("just-in-time policy"),
        VIRTUAL_MACHINE("VM"),
        OS_DISK("OS disk"),
        NETWORK_INTERFACE("network interface"),
        VIRTUAL_NETWORK("virtual network"),
        PUBLIC_IP("public IP"),
        NETWORK_SECURITY_GROUP("network security group"),
        RESOURCE_GROUP("resource group");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    @Override
    public String toString() {
        return kind.label + " " + id.substring(id.lastIndexOf('/') + 1);
    }
}
