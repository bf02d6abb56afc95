package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A VM spec is checked before any Azure call; each problem names its field. */
class VmSpecTest {

    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();
    private static final SshPublicKey ED25519 = GENERATOR.generate(KeyGenSpec.ed25519(), "me").publicKey();

    private static VmSpec.Builder valid() {
        return VmSpec.builder().name("vm1").resourceGroup("rg1").region("West Europe").sshKeys(ED25519)
                .sshSource("203.0.113.7/32").ownerId("me@host");
    }

    private static InvalidVmSpecException invalid(VmSpec.Builder builder) {
        return catchThrowableOfType(builder::build, InvalidVmSpecException.class);
    }

    @Test
    void defaultsAreUbuntu2404OnStandardB2sWithAPublicIpAndPort22DeletingAttachedResources() {
        VmSpec spec = valid().build();

        assertThat(spec.region()).isEqualTo("westeurope");
        assertThat(spec.imageUrn()).hasToString("Canonical:ubuntu-24_04-lts:server:latest");
        assertThat(spec.size()).isEqualTo("Standard_B2s");
        assertThat(spec.adminUsername()).isEqualTo("azureuser");
        assertThat(spec.publicIp()).isTrue();
        assertThat(spec.sshPort()).isEqualTo(22);
        assertThat(spec.deleteWithVm()).isEqualTo(DeleteWithVm.ALL);
        assertThat(spec.createResourceGroup()).isFalse();
        assertThat(spec.keepOnFailure()).isFalse();
        assertThat(spec.warnings()).isEmpty();
    }

    @Test
    void imagesAreUrnsOrAliases() {
        assertThat(valid().image("debian12").build().imageUrn()).isEqualTo(
                new ImageUrn("Debian", "debian-12", "12-gen2", "latest"));
        assertThat(valid().image("Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202501010")
                .build().imageUrn().isLatest()).isFalse();
        assertThat(invalid(valid().image("Canonical:ubuntu")).problems()).containsExactly(
                "image: 'Canonical:ubuntu' is neither publisher:offer:sku:version nor one of "
                        + "Ubuntu2404, Ubuntu2204, Debian12, Debian11");
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsField() {
        InvalidVmSpecException e = invalid(VmSpec.builder().name("bad/name").resourceGroup("rg.").region("west-eu")
                .adminUsername("Admin").sshPort(0));

        assertThat(e.problems()).containsExactly(
                "name: 'bad/name' must not contain blanks nor any of \\/\"[]:|<>+=;,?*@&",
                "resourceGroup: 'rg.' must be 1–90 letters, digits, '.', '_', '-', '(' or ')', not ending with '.'",
                "region: 'west-eu' is not a region name such as westeurope",
                "adminUsername: 'Admin' is reserved by Azure; choose another, e.g. azureuser",
                "sshKeys: at least one public key is needed (password login stays off)",
                "sshSource: missing; give the address or CIDR that may reach SSH (or '*' for any, explicitly)",
                "sshPort: 0 is not a TCP port (1–65535)",
                "ownerId: missing, it must be 1–256 characters (it becomes the azure-ssh-vm-owner tag)");
        assertThat(e.getMessage()).startsWith("invalid VM spec: name: 'bad/name'");
    }

    @Test
    void vmNamesFollowAzuresLinuxRules() {
        assertThat(invalid(valid().name("a".repeat(65))).problems()).containsExactly(
                "name: '" + "a".repeat(65) + "' must be 1–64 characters");
        assertThat(invalid(valid().name("_vm")).problems()).containsExactly(
                "name: '_vm' must not start with '_' nor end with '.' or '-'");
        assertThat(invalid(valid().name("vm-")).problems()).hasSize(1);
        assertThat(valid().name("build.agent_7").build().computerName()).isEqualTo("build-agent-7");
    }

    @Test
    void reservedAndMalformedAdminNamesAreRefused() {
        for (String reserved : new String[] {"admin", "ROOT", "user", "test", "guest", "administrator"}) {
            assertThat(invalid(valid().adminUsername(reserved)).problems()).singleElement().asString()
                    .startsWith("adminUsername: '" + reserved + "' is reserved by Azure");
        }
        assertThat(invalid(valid().adminUsername("-x")).problems()).singleElement().asString()
                .startsWith("adminUsername: '-x' must not contain");
        assertThat(invalid(valid().adminUsername("u".repeat(65))).problems()).singleElement().asString()
                .endsWith("must be 1–64 characters");
    }

    @Test
    void ecdsaKeysAreRefusedBecauseAzureRefusesThem() {
        SshPublicKey ecdsa = GENERATOR.generate(KeyGenSpec.ecdsa(256), "e").publicKey();

        assertThat(invalid(valid().sshKeys(ecdsa)).problems()).containsExactly("sshKeys[1] (ecdsa-sha2-nistp256 "
                + ecdsa.fingerprint() + "): Azure refuses ECDSA keys for Linux VMs; use RSA (at least 2048 bits) "
                + "or Ed25519");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertThat(invalid(valid().sshKeys(ED25519)).problems()).singleElement().asString()
                .startsWith("sshKeys[1] (ssh-ed25519 ").endsWith("given twice");
    }

    @Test
    void sshFromAnywhereMustBeAskedForAndIsWarnedAbout() {
        VmSpec open = valid().sshSource("*").build();

        assertThat(open.warnings()).containsExactly(
                "sshSource: '*' lets any address on the internet reach SSH port 22 of vm1");
        assertThat(invalid(valid().sshSource("0.0.0.0/33")).problems()).containsExactly(
                "sshSource: '0.0.0.0/33' is not an IP address or CIDR such as 203.0.113.7/32");
        assertThat(invalid(valid().sshSource("example.com")).problems()).hasSize(1);
        assertThat(valid().sshSource("2001:db8::/48").build().sshSource()).isEqualTo("2001:db8::/48");
        assertThat(valid().sshSource("10.1.2.3").build().warnings()).isEmpty();
    }

    @Test
    void ourTagsCannotBeOverriddenAndAzuresTagLimitsHold() {
        assertThat(invalid(valid().tag("azure-ssh-vm-owner", "someone else")).problems()).containsExactly(
                "tags: 'azure-ssh-vm-owner' is set by the provisioner");
        assertThat(invalid(valid().tag("a/b", "x")).problems()).containsExactly(
                "tags: key 'a/b' must be 1–512 characters without any of <>%&\\?/");
        assertThat(invalid(valid().tag("k", "v".repeat(257))).problems()).containsExactly(
                "tags: value of 'k' is longer than 256 characters");
    }

    @Test
    void anExistingSubnetIsGivenByItsArmId() {
        String subnet = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/"
                + "Microsoft.Network/virtualNetworks/vnet-1/subnets/workers";
        VmSpec spec = valid().existingSubnet(subnet).build();

        assertThat(spec.existingSubnetId()).isEqualTo(subnet);
        assertThat(spec.usesExistingSubnet()).isTrue();
        assertThat(valid().build().usesExistingSubnet()).isFalse();
        for (String bad : List.of("workers", subnet.replace("/subnets/workers", ""),
                subnet.replace("virtualNetworks", "networkInterfaces"), subnet + "/extra",
                subnet.replace("vnet-1", "vnet-1-"), "/subscriptions//resourceGroups/rg/providers/"
                        + "Microsoft.Network/virtualNetworks/v1/subnets/s")) {
            assertThat(invalid(valid().existingSubnet(bad)).problems()).as(bad).containsExactly("existingSubnet: '"
                    + bad + "' is not a subnet id such as /subscriptions/<id>/resourceGroups/<group>/providers/"
                    + "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>");
        }
    }

    @Test
    void aDnsLabelFollowsAzuresRuleAndNeedsAPublicIp() {
        assertThat(valid().dnsLabel("build-agent-7").build().dnsLabel()).isEqualTo("build-agent-7");
        assertThat(valid().dnsLabel("a" + "b".repeat(62)).build().dnsLabel()).hasSize(63);
        for (String bad : List.of("ab", "a".repeat(64), "Agent1", "1agent", "agent-", "agent_1", "agent.1")) {
            assertThat(invalid(valid().dnsLabel(bad)).problems()).as(bad).containsExactly("dnsLabel: '" + bad
                    + "' must be 3–63 lowercase letters, digits or '-', starting with a letter and ending with a "
                    + "letter or digit");
        }
        assertThat(invalid(valid().dnsLabel("agent1").publicIp(false)).problems()).containsExactly(
                "dnsLabel: a DNS label needs a public IP");
        assertThat(valid().publicIp(false).build().dnsLabel()).isNull();
    }

    @Test
    void anInitConfigCarriesFilesAndCommandsButNoHostKeys() {
        assertThat(valid().build().initConfig().isEmpty()).isTrue();
        CloudConfig init = CloudConfig.empty().withCommand(java.util.List.of("true"));
        assertThat(valid().initConfig(init).build().cloudConfig().document()).contains("runcmd:");
        assertThat(invalid(valid().initConfig(init.withHostKey(GENERATOR.generate(KeyGenSpec.ed25519(), ""))))
                .problems()).containsExactly("initConfig: host keys belong in preseededHostKeys");
    }
}
