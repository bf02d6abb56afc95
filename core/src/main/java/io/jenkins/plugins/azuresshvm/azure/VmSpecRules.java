package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Azure's rules for the fields of a {@link VmSpec}, and ours; each problem starts with the field's name. */
final class VmSpecRules {
    private static final Pattern VM_NAME_FORBIDDEN = Pattern.compile("[\\s\\\\/\"\\[\\]:|<>+=;,?*@&]");
    private static final Pattern ADMIN_FORBIDDEN = Pattern.compile("[\\s\\\\/\"\\[\\]:|<>+=;,?*@]");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[\\p{L}\\p{N}._()-]{1,90}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+");
    private static final Pattern SIZE = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern TAG_KEY_FORBIDDEN = Pattern.compile("[<>%&\\\\?/]");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");
    private static final Pattern IPV6_CIDR = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:/(\\d{1,3}))?");
    private static final Pattern SUBNET_ID = Pattern.compile("/subscriptions/[^/\\s]+/resourceGroups/"
            + RESOURCE_GROUP.pattern() + "/providers/Microsoft\\.Network/virtualNetworks/"
            + "[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])/subnets/[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");
    /** Azure allows 50 tags; two are ours. */
    static final int MAX_USER_TAGS = 48;

    private VmSpecRules() {}

    static List<String> problems(String name, String resourceGroup, String region, String image, String size,
            String adminUsername, List<SshPublicKey> sshKeys, Map<String, String> tags, String existingSubnetId, boolean publicIp,
            String dnsLabel, String sshSource, int sshPort, String ownerId) {
        List<String> problems = new ArrayList<>();
        vmName(name, problems);
        if (resourceGroup == null || !RESOURCE_GROUP.matcher(resourceGroup).matches() || resourceGroup.endsWith(".")) {
            problems.add("resourceGroup: " + shown(resourceGroup) + " must be 1–90 letters, digits, '.', '_', '-', "
                    + "'(' or ')', not ending with '.'");
        }
        if (region == null || !REGION.matcher(region).matches()) {
            problems.add("region: " + shown(region) + " is not a region name such as westeurope");
        }
        if (image == null) {
            problems.add("image: missing");
        } else {
            try {
                ImageUrn.parse(image);
            } catch (IllegalArgumentException e) {
                problems.add("image: " + e.getMessage());
            }
        }
        if (size == null || !SIZE.matcher(size).matches()) {
            problems.add("size: " + shown(size) + " is not a VM size such as Standard_B2s");
        }
        adminUsername(adminUsername, problems);
        sshKeys(sshKeys, problems);
        tags(tags, problems);
        if (existingSubnetId != null && !SUBNET_ID.matcher(existingSubnetId).matches()) {
            problems.add("existingSubnet: '" + existingSubnetId + "' is not a subnet id such as /subscriptions/<id>"
                    + "/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>");
        }
        if (dnsLabel != null) {
            if (!DNS_LABEL.matcher(dnsLabel).matches()) {
                problems.add("dnsLabel: '" + dnsLabel + "' must be 3–63 lowercase letters, digits or '-', starting "
                        + "with a letter and ending with a letter or digit");
            }
            if (!publicIp) {
                problems.add("dnsLabel: a DNS label needs a public IP");
            }
        }
        sshSource(sshSource, problems);
        if (sshPort < 1 || sshPort > 65535) {
            problems.add("sshPort: " + sshPort + " is not a TCP port (1–65535)");
        }
        if (ownerId == null || ownerId.isBlank() || ownerId.length() > 256) {
            problems.add("ownerId: " + shown(ownerId) + " must be 1–256 characters (it becomes the "
                    + AzureVmProvisioner.OWNER_TAG + " tag)");
        }
        return problems;
    }

    private static void vmName(String name, List<String> problems) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            problems.add("name: " + shown(name) + " must be 1–64 characters");
        } else if (VM_NAME_FORBIDDEN.matcher(name).find()) {
            problems.add("name: '" + name + "' must not contain blanks nor any of \\/\"[]:|<>+=;,?*@&");
        } else if (name.startsWith("_") || name.endsWith(".") || name.endsWith("-")) {
            problems.add("name: '" + name + "' must not start with '_' nor end with '.' or '-'");
        }
    }

    private static void adminUsername(String user, List<String> problems) {
        if (user == null || user.isEmpty() || user.length() > 64) {
            problems.add("adminUsername: " + shown(user) + " must be 1–64 characters");
        } else if (ADMIN_FORBIDDEN.matcher(user).find() || user.endsWith(".") || user.startsWith("-")) {
            problems.add("adminUsername: '" + user + "' must not contain blanks nor any of \\/\"[]:|<>+=;,?*@, "
                    + "start with '-' nor end with '.'");
        } else if (VmSpec.RESERVED_ADMIN_USERNAMES.contains(user.toLowerCase(Locale.ROOT))) {
            problems.add("adminUsername: '" + user + "' is reserved by Azure; choose another, e.g. azureuser");
        }
    }

    private static void sshKeys(List<SshPublicKey> keys, List<String> problems) {
        if (keys.isEmpty()) {
            problems.add("sshKeys: at least one public key is needed (password login stays off)");
        }
        Set<SshPublicKey> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            SshPublicKey key = keys.get(i);
            String which = "sshKeys[" + i + "] (" + key.algorithm() + " " + key.fingerprint() + "): ";
            String refused = azureRefusal(key);
            if (refused != null) {
                problems.add(which + refused);
            }
            if (!seen.add(key)) {
                problems.add(which + "given twice");
            }
        }
    }

    /** Why Azure refuses {@code key} as a Linux VM's (or an SSH public key resource's) key; {@code null} if it does not. */
    static String azureRefusal(SshPublicKey key) {
        if (!key.type().acceptedByAzure()) {
            return "Azure refuses " + key.type().label() + " keys for Linux VMs; use RSA (at least 2048 bits) or Ed25519";
        }
        if (key.type() == KeyType.RSA && key.bits() < KeyType.RSA_MIN_BITS) {
            return "RSA key of " + key.bits() + " bits; Azure needs at least " + KeyType.RSA_MIN_BITS;
        }
        return null;
    }

    private static void tags(Map<String, String> tags, List<String> problems) {
        if (tags.size() > MAX_USER_TAGS) {
            problems.add("tags: " + tags.size() + " tags; at most " + MAX_USER_TAGS + " (Azure allows 50, two are ours)");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 512 || TAG_KEY_FORBIDDEN.matcher(key).find()) {
                problems.add("tags: key '" + key + "' must be 1–512 characters without any of <>%&\\?/");
            } else if (key.equalsIgnoreCase(AzureVmProvisioner.OWNER_TAG)
                    || key.equalsIgnoreCase(AzureVmProvisioner.CREATED_TAG)) {
                problems.add("tags: '" + key + "' is set by the provisioner");
            }
            if (value.length() > 256) {
                problems.add("tags: value of '" + key + "' is longer than 256 characters");
            }
        });
    }

    private static void sshSource(String source, List<String> problems) {
        if (source == null || source.isBlank()) {
            problems.add("sshSource: missing; give the address or CIDR that may reach SSH (or '*' for any, "
                    + "explicitly)");
        } else if (!source.equals(VmSpec.ANY_SOURCE) && !isIpv4Cidr(source) && !isIpv6Cidr(source)) {
            problems.add("sshSource: '" + source + "' is not an IP address or CIDR such as 203.0.113.7/32");
        }
    }

    private static boolean isIpv4Cidr(String source) {
        Matcher ip = IPV4_CIDR.matcher(source);
        if (!ip.matches()) {
            return false;
        }
        for (int group = 1; group <= 4; group++) {
            if (Integer.parseInt(ip.group(group)) > 255) {
                return false;
            }
        }
        return ip.group(5) == null || Integer.parseInt(ip.group(5)) <= 32;
    }

    private static boolean isIpv6Cidr(String source) {
        Matcher ip = IPV6_CIDR.matcher(source);
        if (!ip.matches() || (ip.group(1) != null && Integer.parseInt(ip.group(1)) > 128)) {
            return false;
        }
        String address = source.contains("/") ? source.substring(0, source.indexOf('/')) : source;
        try {
            // a literal containing ':' is parsed, never looked up
            return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String shown(String value) {
        return value == null ? "missing, it" : "'" + value + "'";
    }
}
