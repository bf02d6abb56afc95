package io.jenkins.plugins.azuresshvm.azure;

/**
 * A resource we created, or asked ARM to create without learning whether it did ({@code confirmed} false: the
 * create failed or got no answer, yet may have left it, as a {@code Failed} operation does).
 */
record OwnedResource(Kind kind, String id, boolean confirmed) {

    /** The kinds we create, in the order they can be deleted (a VM before its disk and NIC, a NIC before its IP…). */
    enum Kind {
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
