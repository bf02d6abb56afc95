package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.util.Locale;
import java.util.Map;

/**
 * The id of a resource inside a resource group, {@code /subscriptions/S/resourceGroups/RG/providers/NS/TYPE/NAME},
 * spelled canonically whatever the case the client used. ARM compares ids without regard to case: see {@link #key()}.
 */
record ResourceId(String subscription, String resourceGroup, String providerType, String name) {

    static final String NSG = "Microsoft.Network/networkSecurityGroups";
    static final String PUBLIC_IP = "Microsoft.Network/publicIPAddresses";
    static final String VNET = "Microsoft.Network/virtualNetworks";
    static final String NIC = "Microsoft.Network/networkInterfaces";
    static final String VM = "Microsoft.Compute/virtualMachines";
    static final String DISK = "Microsoft.Compute/disks";
    static final String SSH_PUBLIC_KEY = "Microsoft.Compute/sshPublicKeys";
    static final String RESOURCE_GROUP = "Microsoft.Resources/resourceGroups";

    /** The resource types the emulator serves, by lower-case name. */
    private static final Map<String, String> TYPES = Map.of(
            NSG.toLowerCase(Locale.ROOT), NSG,
            PUBLIC_IP.toLowerCase(Locale.ROOT), PUBLIC_IP,
            VNET.toLowerCase(Locale.ROOT), VNET,
            NIC.toLowerCase(Locale.ROOT), NIC,
            VM.toLowerCase(Locale.ROOT), VM,
            DISK.toLowerCase(Locale.ROOT), DISK,
            SSH_PUBLIC_KEY.toLowerCase(Locale.ROOT), SSH_PUBLIC_KEY);

    /** The canonical spelling of {@code namespace/type}, or {@code null} when the emulator does not serve it. */
    static String canonicalType(String namespace, String type) {
        return TYPES.get((namespace + "/" + type).toLowerCase(Locale.ROOT));
    }

    /**
     * Parses an id given in a request body (a reference). Child segments after the name (such as
     * {@code /subnets/default}) are ignored. Returns {@code null} when it is not the id of a served type.
     */
    static ResourceId parse(String id) {
        String[] s = id.startsWith("/") ? id.substring(1).split("/") : id.split("/");
        if (s.length < 8 || !s[0].equalsIgnoreCase("subscriptions") || !s[2].equalsIgnoreCase("resourceGroups")
                || !s[4].equalsIgnoreCase("providers")) {
            return null;
        }
        String type = canonicalType(s[5], s[6]);
        return type == null ? null : new ResourceId(s[1], s[3], type, s[7]);
    }

    static String resourceGroupId(String subscription, String resourceGroup) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup;
    }

    /** The lower-case form under which the resource is stored. */
    String key() {
        return toString().toLowerCase(Locale.ROOT);
    }

    String resourceGroupKey() {
        return resourceGroupId(subscription, resourceGroup).toLowerCase(Locale.ROOT);
    }

    /** The id of a sibling of this resource in the same resource group. */
    ResourceId sibling(String type, String siblingName) {
        return new ResourceId(subscription, resourceGroup, type, siblingName);
    }

    @Override
    public String toString() {
        return resourceGroupId(subscription, resourceGroup) + "/providers/" + providerType + "/" + name;
    }
}
