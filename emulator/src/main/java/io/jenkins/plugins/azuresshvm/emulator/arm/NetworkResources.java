package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Network security groups (stored, not enforced), public IPs (each with its own loopback address), virtual networks
 * with their subnets, and NICs, with the references between them checked and the back-references ARM maintains.
 */
final class NetworkResources {

    /** Azure's rule for a public IP's DNS label: 3–63 characters, a lowercase letter first. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

    private final ResourceStore store;
    private final LoopbackAddresses addresses;

    NetworkResources(ResourceStore store, LoopbackAddresses addresses) {
        this.store = store;
        this.addresses = addresses;
    }

    ArmResponse put(ResourceId id, ObjectNode body) {
        synchronized (store) {
            ObjectNode existing = store.get(id);
            ObjectNode resource = TrackedResources.fromPut(id.toString(), id.name(), id.providerType(), body, existing);
            ObjectNode properties = TrackedResources.properties(resource);
            properties.put("resourceGuid", existing == null ? UUID.randomUUID().toString()
                    : existing.at("/properties/resourceGuid").asText());
            resource.put("etag", "W/\"" + UUID.randomUUID() + "\"");
            switch (id.providerType()) {
                case ResourceId.NSG -> networkSecurityGroup(resource, existing);
                case ResourceId.PUBLIC_IP -> publicIp(resource, body, existing);
                case ResourceId.VNET -> virtualNetwork(resource);
                case ResourceId.NIC -> networkInterface(resource, existing);
                default -> throw new IllegalArgumentException(id.providerType());
            }
            store.put(resource);
            return ArmResponse.of(existing == null ? 201 : 200, resource.deepCopy());
        }
    }

    private static void networkSecurityGroup(ObjectNode nsg, ObjectNode existing) {
        ObjectNode properties = TrackedResources.properties(nsg);
        String id = nsg.get("id").asText();
        for (JsonNode rule : Json.withArray(properties, "securityRules")) {
            childOf(id, "securityRules", (ObjectNode) rule);
        }
        Json.withArray(properties, "defaultSecurityRules");
        if (existing != null && existing.at("/properties/networkInterfaces").isArray()) {
            properties.set("networkInterfaces", existing.at("/properties/networkInterfaces").deepCopy());
        }
    }

    private void publicIp(ObjectNode ip, ObjectNode body, ObjectNode existing) {
        ObjectNode properties = TrackedResources.properties(ip);
        ip.set("sku", body.get("sku") instanceof ObjectNode sku ? sku.deepCopy() : standardSku());
        if (!properties.has("publicIPAllocationMethod")) {
            properties.put("publicIPAllocationMethod", "Static");
        }
        properties.put("publicIPAddressVersion", "IPv4");
        if (!properties.has("idleTimeoutInMinutes")) {
            properties.put("idleTimeoutInMinutes", 4);
        }
        dnsSettings(ip);
        String address = existing == null ? addresses.allocate() : Json.text(existing, "/properties/ipAddress");
        properties.put("ipAddress", address);
        if (existing != null && existing.at("/properties/ipConfiguration").isObject()) {
            properties.set("ipConfiguration", existing.at("/properties/ipConfiguration").deepCopy());
        } else {
            properties.remove("ipConfiguration");
        }
    }

    /**
     * A DNS label becomes {@code <label>.<region>.cloudapp.azure.com}; it must be valid and, as in Azure, not used by
     * another public IP of the region.
     */
    private void dnsSettings(ObjectNode ip) {
        ObjectNode properties = TrackedResources.properties(ip);
        if (!(properties.get("dnsSettings") instanceof ObjectNode dns)) {
            properties.remove("dnsSettings");
            return;
        }
        String label = Json.text(dns, "/domainNameLabel");
        if (label == null || label.isEmpty()) {
            dns.remove("fqdn");
            return;
        }
        String id = ip.get("id").asText();
        if (!DNS_LABEL.matcher(label).matches()) {
            throw new ArmError(400, "InvalidDomainNameLabel", "The domain name label " + label + " is invalid. It"
                    + " must conform to the following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.");
        }
        String region = ip.path("location").asText().toLowerCase(Locale.ROOT).replace(" ", "");
        String fqdn = label + "." + region + ".cloudapp.azure.com";
        for (ObjectNode other : store.list("/", ResourceId.PUBLIC_IP)) {
            if (!other.get("id").asText().equalsIgnoreCase(id)
                    && fqdn.equalsIgnoreCase(Json.text(other, "/properties/dnsSettings/fqdn"))) {
                throw new ArmError(400, "DnsRecordInUse", "DNS record " + fqdn + " is already used by another"
                        + " public IP.");
            }
        }
        dns.put("fqdn", fqdn);
    }

    private static void virtualNetwork(ObjectNode vnet) {
        String id = vnet.get("id").asText();
        for (JsonNode subnet : Json.withArray(TrackedResources.properties(vnet), "subnets")) {
            childOf(id, "subnets", (ObjectNode) subnet);
        }
    }

    private void networkInterface(ObjectNode nic, ObjectNode existing) {
        String id = nic.get("id").asText();
        ObjectNode properties = TrackedResources.properties(nic);
        if (existing != null) {
            unlink(existing);
            if (existing.at("/properties/virtualMachine").isObject()) {
                properties.set("virtualMachine", existing.at("/properties/virtualMachine").deepCopy());
            }
        }
        ArrayNode configurations = Json.withArray(properties, "ipConfigurations");
        if (configurations.isEmpty()) {
            throw ArmError.invalidParameter("ipConfigurations", "Network interface " + id
                    + " must have one or more IP configurations.");
        }
        String nsgId = Json.text(properties, "/networkSecurityGroup/id");
        if (nsgId != null) {
            requireReferenced(nsgId, id);
        }
        boolean first = true;
        for (JsonNode node : configurations) {
            ObjectNode configuration = (ObjectNode) node;
            childOf(id, "ipConfigurations", configuration);
            ObjectNode ipProperties = Json.with(configuration, "properties");
            if (!ipProperties.has("primary")) {
                ipProperties.put("primary", first);
            }
            first = false;
            String subnetId = Json.text(ipProperties, "/subnet/id");
            if (subnetId == null) {
                throw ArmError.invalidParameter("ipConfigurations.subnet", "IP configuration "
                        + configuration.get("id").asText() + " must reference a subnet.");
            }
            ObjectNode subnet = subnet(subnetId, id);
            if (!"Static".equalsIgnoreCase(Json.text(ipProperties, "/privateIPAllocationMethod"))
                    || !ipProperties.has("privateIPAddress")) {
                ipProperties.put("privateIPAllocationMethod", "Dynamic");
                ipProperties.put("privateIPAddress", freePrivateAddress(subnet, subnetId));
            }
            ipProperties.put("privateIPAddressVersion", "IPv4");
            String publicIpId = Json.text(ipProperties, "/publicIPAddress/id");
            if (publicIpId != null) {
                ObjectNode publicIp = requireReferenced(publicIpId, id);
                String user = Json.text(publicIp, "/properties/ipConfiguration/id");
                if (user != null && !user.toLowerCase(Locale.ROOT).startsWith(id.toLowerCase(Locale.ROOT) + "/")) {
                    throw new ArmError(400, "PublicIPAddressInUse", "Resource " + publicIpId + " is already in use"
                            + " by " + user + ".");
                }
            }
        }
        link(nic);
    }

    /** Deletes a resource of this kind, refusing as ARM does when another resource still uses it. */
    ArmResponse delete(ResourceId id) {
        synchronized (store) {
            ObjectNode resource = store.get(id);
            if (resource == null) {
                return ArmResponse.empty(204);
            }
            String inUseBy = switch (id.providerType()) {
                case ResourceId.NIC -> Json.text(resource, "/properties/virtualMachine/id");
                case ResourceId.PUBLIC_IP -> Json.text(resource, "/properties/ipConfiguration/id");
                case ResourceId.NSG, ResourceId.VNET -> nicReferencing(resource.get("id").asText());
                default -> null;
            };
            if (inUseBy != null) {
                throw new ArmError(400, "InUseResourceCannotBeDeleted", "Resource " + resource.get("id").asText()
                        + " cannot be deleted because it is in use by " + inUseBy + ".");
            }
            remove(resource);
            return ArmResponse.empty(200);
        }
    }

    /** Removes a resource with no further checks: its back-references, and its loopback address. */
    void remove(ObjectNode resource) {
        synchronized (store) {
            String type = resource.get("type").asText();
            if (type.equals(ResourceId.NIC)) {
                unlink(resource);
            } else if (type.equals(ResourceId.PUBLIC_IP)) {
                addresses.release(Json.text(resource, "/properties/ipAddress"));
            }
            store.remove(resource.get("id").asText());
        }
    }

    /**
     * Deletes a NIC that its VM deleted, and with it each public IP whose delete option (on the IP, or on the NIC's
     * reference to it) says {@code Delete}.
     */
    void deleteWithVm(ObjectNode nic) {
        synchronized (store) {
            remove(nic);
            for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
                JsonNode reference = configuration.at("/properties/publicIPAddress");
                ObjectNode publicIp = reference.has("id") ? store.get(reference.get("id").asText()) : null;
                if (publicIp != null && ("Delete".equalsIgnoreCase(Json.text(publicIp, "/properties/deleteOption"))
                        || "Delete".equalsIgnoreCase(Json.text(reference, "/properties/deleteOption")))) {
                    remove(publicIp);
                }
            }
        }
    }

    /** The public IP address of a NIC's primary IP configuration, or {@code null}. */
    String primaryPublicAddress(ObjectNode nic) {
        JsonNode primary = null;
        for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
            if (primary == null || configuration.at("/properties/primary").asBoolean()) {
                primary = configuration;
            }
        }
        String publicIpId = primary == null ? null : Json.text(primary, "/properties/publicIPAddress/id");
        ObjectNode publicIp = publicIpId == null ? null : store.get(publicIpId);
        return publicIp == null ? null : Json.text(publicIp, "/properties/ipAddress");
    }

    private static void childOf(String parentId, String collection, ObjectNode child) {
        String name = Json.text(child, "/name");
        if (name == null) {
            throw ArmError.invalidParameter(collection + ".name", "Each of " + collection + " needs a name.");
        }
        child.put("id", parentId + "/" + collection + "/" + name);
        Json.with(child, "properties").put("provisioningState", "Succeeded");
    }

    private ObjectNode requireReferenced(String referencedId, String referencingId) {
        ObjectNode referenced = store.get(referencedId);
        if (referenced == null) {
            throw ArmError.invalidReference(referencedId, referencingId);
        }
        return referenced;
    }

    private ObjectNode subnet(String subnetId, String referencingId) {
        int at = subnetId.toLowerCase(Locale.ROOT).lastIndexOf("/subnets/");
        ObjectNode vnet = at < 0 ? null : store.get(subnetId.substring(0, at));
        if (vnet != null) {
            String name = subnetId.substring(at + "/subnets/".length());
            for (JsonNode subnet : vnet.at("/properties/subnets")) {
                if (subnet.path("name").asText().equalsIgnoreCase(name)) {
                    return (ObjectNode) subnet;
                }
            }
        }
        throw ArmError.invalidReference(subnetId, referencingId);
    }

    /** The first free address of the subnet after the 4 Azure reserves at its start. */
    private String freePrivateAddress(ObjectNode subnet, String subnetId) {
        String prefix = Json.text(subnet, "/properties/addressPrefix");
        String base = prefix == null ? "10.0.0.0" : prefix.substring(0, prefix.indexOf('/') < 0 ? prefix.length()
                : prefix.indexOf('/'));
        Set<String> used = new HashSet<>();
        for (ObjectNode nic : store.list("/", ResourceId.NIC)) {
            for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
                if (subnetId.equalsIgnoreCase(Json.text(configuration, "/properties/subnet/id"))) {
                    used.add(Json.text(configuration, "/properties/privateIPAddress"));
                }
            }
        }
        String[] octets = base.split("\\.");
        long start = 0;
        for (String octet : octets) {
            start = start * 256 + Long.parseLong(octet);
        }
        for (long candidate = start + 4; ; candidate++) {
            String address = (candidate >> 24 & 255) + "." + (candidate >> 16 & 255) + "." + (candidate >> 8 & 255)
                    + "." + (candidate & 255);
            if (!used.contains(address)) {
                return address;
            }
        }
    }

    /** Records the NIC on the public IPs and NSG it uses. */
    private void link(ObjectNode nic) {
        for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
            String publicIpId = Json.text(configuration, "/properties/publicIPAddress/id");
            if (publicIpId != null) {
                TrackedResources.properties(store.get(publicIpId))
                        .set("ipConfiguration", TrackedResources.reference(configuration.get("id").asText()));
            }
        }
        String nsgId = Json.text(nic, "/properties/networkSecurityGroup/id");
        if (nsgId != null) {
            Json.withArray(TrackedResources.properties(store.get(nsgId)), "networkInterfaces")
                    .add(TrackedResources.reference(nic.get("id").asText()));
        }
    }

    private void unlink(ObjectNode nic) {
        for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
            String publicIpId = Json.text(configuration, "/properties/publicIPAddress/id");
            ObjectNode publicIp = publicIpId == null ? null : store.get(publicIpId);
            if (publicIp != null) {
                TrackedResources.properties(publicIp).remove("ipConfiguration");
            }
        }
        String nsgId = Json.text(nic, "/properties/networkSecurityGroup/id");
        ObjectNode nsg = nsgId == null ? null : store.get(nsgId);
        if (nsg != null) {
            ArrayNode users = Json.withArray(TrackedResources.properties(nsg), "networkInterfaces");
            for (int i = users.size() - 1; i >= 0; i--) {
                if (users.get(i).path("id").asText().equalsIgnoreCase(nic.get("id").asText())) {
                    users.remove(i);
                }
            }
        }
    }

    /** The id of a NIC that references {@code id} (an NSG, or a subnet of a virtual network), or {@code null}. */
    private String nicReferencing(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (ObjectNode nic : store.list("/", ResourceId.NIC)) {
            String nsgId = Json.text(nic, "/properties/networkSecurityGroup/id");
            if (nsgId != null && nsgId.equalsIgnoreCase(id)) {
                return nic.get("id").asText();
            }
            for (JsonNode configuration : nic.at("/properties/ipConfigurations")) {
                String subnetId = Json.text(configuration, "/properties/subnet/id");
                if (subnetId != null && subnetId.toLowerCase(Locale.ROOT).startsWith(lower + "/subnets/")) {
                    return nic.get("id").asText();
                }
            }
        }
        return null;
    }

    private static ObjectNode standardSku() {
        ObjectNode sku = Json.object();
        sku.put("name", "Standard");
        sku.put("tier", "Regional");
        return sku;
    }
}
