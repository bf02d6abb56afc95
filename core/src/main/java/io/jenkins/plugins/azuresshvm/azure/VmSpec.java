package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What VM to create, validated before any Azure call: every problem is reported at once, each naming its field
 * ({@link InvalidVmSpecException}). Build one with {@link #builder()}.
 *
 * @param name the VM name (Azure's Linux rules: 1–64 characters, …); also names its NIC, IP, NSG, vnet and disk
 * @param resourceGroup an existing group, or one we create when {@code createResourceGroup}
 * @param createResourceGroup whether we create (and so own, and delete) the resource group; it must not exist
 * @param region e.g. {@code westeurope}
 * @param image an URN {@code publisher:offer:sku:version} or an alias, see {@link ImageUrn#parse}
 * @param size e.g. {@code Standard_B2s}
 * @param adminUsername the Linux user our keys log in as
 * @param sshKeys the keys for {@code ~adminUsername/.ssh/authorized_keys}: RSA ≥ 2048 bits or Ed25519
 * @param tags extra tags for every resource created (ours, {@link AzureVmProvisioner#OWNER_TAG} and
 *     {@link AzureVmProvisioner#CREATED_TAG}, are added)
 * @param existingSubnetId the ARM id of an existing subnet to put the NIC in, which we neither create nor delete; or
 *     {@code null} (the default) for a new virtual network {@code <name>-vnet} with subnet {@code default}
 * @param publicIp whether the VM gets a Standard static public IP
 * @param dnsLabel the DNS label of the public IP ({@code <label>.<region>.cloudapp.azure.com}), or {@code null}
 * @param sshSource the address or CIDR the NSG lets reach the SSH port; {@code *} (any) only when asked explicitly
 * @param sshPort the port the NSG opens and sshd listens on (other than 22, moved there by {@link #cloudConfig()})
 * @param ownerId who creates it (a Jenkins instance, {@code user@host}): the owner tag a later sweep looks for
 * @param deleteWithVm which attached resources Azure deletes with the VM
 * @param keepOnFailure whether a failed provisioning leaves what it created, for inspection
 * @param preseededHostKeys host keys handed to cloud-init instead of the image's own, or {@code null}
 * @param jit whether SSH is reached through just-in-time VM access (Microsoft Defender for Servers): the NSG keeps
 *     the SSH port closed, a policy of ours lets {@code sshSource} request it, and the launcher does before connecting
 * @param initConfig files and commands for the VM's first boot (an agent's init script), carried in the same
 *     cloud-config as the SSH port and the pre-seeded host keys; empty by default
 */
public record VmSpec(String name, String resourceGroup, boolean createResourceGroup, String region, String image,
        String size, String adminUsername, List<SshPublicKey> sshKeys, Map<String, String> tags,
        String existingSubnetId, boolean publicIp, String dnsLabel, String sshSource, int sshPort, String ownerId, DeleteWithVm deleteWithVm, boolean keepOnFailure,
        PreseededHostKeys preseededHostKeys, boolean jit, CloudConfig initConfig) {

    /** The admin names Azure refuses on Linux, compared without case. */
    public static final List<String> RESERVED_ADMIN_USERNAMES = List.of("administrator", "admin", "user", "user1",
            "user2", "user3", "user4", "user5", "test", "test1", "test2", "test3", "admin1", "admin2", "1", "123", "a",
            "actuser", "adm", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql",
            "support", "support_388945a0", "sys");

    /** The port sshd listens on in every Azure Linux image. */
    public static final int DEFAULT_SSH_PORT = 22;

    /** Any source address: allowed only when given explicitly, with a warning. */
    public static final String ANY_SOURCE = "*";

    public VmSpec {
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        initConfig = initConfig == null ? CloudConfig.empty() : initConfig;
        List<String> problems = VmSpecRules.problems(name, resourceGroup, region, image, size, adminUsername,
                sshKeys, tags, existingSubnetId, publicIp, dnsLabel, sshSource, sshPort, ownerId);
        if (deleteWithVm == null) {
            problems.add("deleteWithVm: missing");
        }
        if (jit && ANY_SOURCE.equals(sshSource)) {
            problems.add("jit: just-in-time access opens SSH to one source; give sshSource an address or CIDR, not '*'");
        }
        if (jit && tags.size() == VmSpecRules.MAX_USER_TAGS) {
            problems.add("tags: " + tags.size() + " tags; with jit at most " + (VmSpecRules.MAX_USER_TAGS - 1)
                    + " (the VM carries a third tag of ours, " + AzureVmProvisioner.JIT_POLICY_TAG + ")");
        }
        if (!initConfig.hostKeys().isEmpty()) {
            problems.add("initConfig: host keys belong in preseededHostKeys");
        }
        if (!problems.isEmpty()) {
            throw new InvalidVmSpecException(problems);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The image as an URN, aliases resolved. */
    public ImageUrn imageUrn() {
        return ImageUrn.parse(image);
    }

    /** Whether the VM goes into an existing subnet (then its virtual network is not ours). */
    public boolean usesExistingSubnet() {
        return existingSubnetId != null;
    }

    /** The Linux hostname: the VM name with each character other than a letter, digit or '-' made a '-'. */
    public String computerName() {
        return name.replaceAll("[^A-Za-z0-9-]", "-");
    }

    /**
     * The cloud-config the VM boots with (its customData): the SSH port, then {@link #initConfig()}, and the
     * pre-seeded host keys; empty when the image's defaults do.
     */
    public CloudConfig cloudConfig() {
        CloudConfig port = sshPort == DEFAULT_SSH_PORT ? CloudConfig.empty() : CloudConfig.empty().withSshPort(sshPort);
        CloudConfig config = port.followedBy(initConfig);
        return preseededHostKeys == null ? config : preseededHostKeys.addTo(config);
    }

    /** What is allowed but unwise, e.g. SSH open to any address. */
    public List<String> warnings() {
        return ANY_SOURCE.equals(sshSource)
                ? List.of("sshSource: '*' lets any address on the internet reach SSH port " + sshPort + " of " + name)
                : List.of();
    }

    /** A builder with the defaults: size Standard_B2s, public IP on, SSH port 22, attached resources deleted. */
    public static final class Builder {
        private String name;
        private String resourceGroup;
        private boolean createResourceGroup;
        private String region;
        private String image = "Ubuntu2404";
        private String size = "Standard_B2s";
        private String adminUsername = "azureuser";
        private final List<SshPublicKey> sshKeys = new ArrayList<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String existingSubnetId;
        private boolean publicIp = true;
        private String dnsLabel;
        private String sshSource;
        private int sshPort = DEFAULT_SSH_PORT;
        private String ownerId;
        private DeleteWithVm deleteWithVm = DeleteWithVm.ALL;
        private boolean keepOnFailure;
        private PreseededHostKeys preseededHostKeys;
        private boolean jit;
        private CloudConfig initConfig = CloudConfig.empty();

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** An existing resource group. */
        public Builder resourceGroup(String resourceGroup) {
            this.resourceGroup = resourceGroup;
            this.createResourceGroup = false;
            return this;
        }

        /** A resource group we create, own and delete with the VM; it must not exist yet. */
        public Builder newResourceGroup(String resourceGroup) {
            this.resourceGroup = resourceGroup;
            this.createResourceGroup = true;
            return this;
        }

        /** A region name such as {@code westeurope} or {@code West Europe}. */
        public Builder region(String region) {
            this.region = region == null ? null : region.toLowerCase(Locale.ROOT).replace(" ", "");
            return this;
        }

        /** An URN or an alias; default {@code Ubuntu2404}. */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder size(String size) {
            this.size = size;
            return this;
        }

        /** Default {@code azureuser}. */
        public Builder adminUsername(String adminUsername) {
            this.adminUsername = adminUsername;
            return this;
        }

        /** Adds keys to log in with. */
        public Builder sshKeys(SshPublicKey... keys) {
            sshKeys.addAll(List.of(keys));
            return this;
        }

        public Builder sshKeys(List<SshPublicKey> keys) {
            sshKeys.addAll(keys);
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
            return this;
        }

        /**
         * An existing subnet, by its ARM id
         * {@code /subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…}, instead of
         * a new virtual network; {@code null} for a new one (the default). We never delete it nor its network.
         */
        public Builder existingSubnet(String subnetId) {
            this.existingSubnetId = subnetId;
            return this;
        }

        /** The public IP's DNS label (3–63 of a-z, 0-9, '-'; a letter first, no '-' last); needs a public IP. */
        public Builder dnsLabel(String dnsLabel) {
            this.dnsLabel = dnsLabel;
            return this;
        }

        public Builder publicIp(boolean publicIp) {
            this.publicIp = publicIp;
            return this;
        }

        /** The address or CIDR allowed to reach SSH, or {@link #ANY_SOURCE}. */
        public Builder sshSource(String sshSource) {
            this.sshSource = sshSource;
            return this;
        }

        public Builder sshPort(int sshPort) {
            this.sshPort = sshPort;
            return this;
        }

        public Builder ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        public Builder deleteWithVm(DeleteWithVm deleteWithVm) {
            this.deleteWithVm = deleteWithVm;
            return this;
        }

        public Builder keepOnFailure(boolean keepOnFailure) {
            this.keepOnFailure = keepOnFailure;
            return this;
        }

        /**
         * Host keys for the VM, handed to cloud-init, so that its first connection is verified without run-command
         * (which then cross-checks them in the background); {@code null} for the image's own keys.
         */
        public Builder preseededHostKeys(PreseededHostKeys preseededHostKeys) {
            this.preseededHostKeys = preseededHostKeys;
            return this;
        }

        /**
         * Whether to reach SSH through just-in-time VM access: the NSG denies the SSH port, a policy of ours lets
         * {@code sshSource} request it, and {@link VerifiedVmLauncher} does before connecting. Needs Microsoft Defender
         * for Servers on the subscription.
         */
        public Builder jit(boolean jit) {
            this.jit = jit;
            return this;
        }

        /**
         * Files and commands for the VM's first boot (no host keys: see {@link #preseededHostKeys}); they run after
         * a change of the SSH port.
         */
        public Builder initConfig(CloudConfig initConfig) {
            this.initConfig = initConfig;
            return this;
        }

        /** @throws InvalidVmSpecException listing every problem */
        public VmSpec build() {
            return new VmSpec(name, resourceGroup, createResourceGroup, region, image, size, adminUsername, sshKeys,
                    tags, existingSubnetId, publicIp, dnsLabel, sshSource, sshPort, ownerId, deleteWithVm, keepOnFailure,
                    preseededHostKeys, jit, initConfig);
        }
    }
}
