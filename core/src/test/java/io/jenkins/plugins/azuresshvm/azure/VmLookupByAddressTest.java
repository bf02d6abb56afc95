package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding the VM behind an agent's host (what the agent host-key strategy does without a VM name), against the ARM
 * emulator: by public IP, by the public IP's DNS name, by private IP — which repeats across virtual networks, so it
 * is refused as ambiguous unless a resource group narrows it — and never a VM for an address nobody holds.
 */
class VmLookupByAddressTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ArmEmulator arm;
    private static AzureVmProvisioner provisioner;
    private static VmLookup lookup;
    private static ProvisionedVm first;
    private static ProvisionedVm second;

    @BeforeAll
    static void provisionTwoVmsInTheirOwnNetworks() throws Exception {
        arm = Emulators.startOrSkip();
        AzureAccess azure = Emulators.access(arm);
        provisioner = Emulators.provisioner(azure);
        lookup = new VmLookup(azure);
        SshPublicKey admin = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "admin@test").publicKey();
        first = provisioner.provision(spec("addr-first", admin).dnsLabel("addr-first-agent").build(), TIMEOUT);
        second = provisioner.provision(spec("addr-second", admin).build(), TIMEOUT);
    }

    private static VmSpec.Builder spec(String name, SshPublicKey admin) {
        return VmSpec.builder().name(name).newResourceGroup("rg-" + name).region(Emulators.REGION).sshKeys(admin)
                .sshSource("127.0.0.1/32").ownerId("tester@host");
    }

    @AfterAll
    static void deleteAndStop() {
        try {
            if (first != null) {
                provisioner.delete(first, TIMEOUT);
            }
            if (second != null) {
                provisioner.delete(second, TIMEOUT);
            }
        } finally {
            if (arm != null) {
                arm.close();
            }
        }
    }

    @Test
    void aPublicIpAddressNamesItsVm() {
        assertThat(lookup.byAddress(first.publicIp(), null, TIMEOUT))
                .isEqualTo(new VmLookup.VmRef("rg-addr-first", "addr-first"));
        assertThat(lookup.byAddress(second.publicIp(), null, TIMEOUT))
                .isEqualTo(new VmLookup.VmRef("rg-addr-second", "addr-second"));
    }

    @Test
    void theDnsNameOfAPublicIpNamesItsVmWhateverItsCaseOrTrailingDot() {
        assertThat(first.fqdn()).startsWith("addr-first-agent.");
        assertThat(lookup.byAddress(first.fqdn().toUpperCase(Locale.ROOT) + ".", null, TIMEOUT))
                .isEqualTo(new VmLookup.VmRef("rg-addr-first", "addr-first"));
    }

    @Test
    void aPrivateAddressIsAmbiguousAcrossNetworksUntilAResourceGroupNarrowsIt() {
        assertThat(first.privateIp()).as("each VM's own network hands out the same first address")
                .isEqualTo(second.privateIp());

        assertThatThrownBy(() -> lookup.byAddress(first.privateIp(), null, TIMEOUT))
                .isInstanceOf(AzureVmException.class)
                .hasMessageContaining("2 VMs in subscription " + arm.subscriptionId() + " have the address "
                        + first.privateIp())
                .hasMessageContaining("rg-addr-first/addr-first").hasMessageContaining("rg-addr-second/addr-second")
                .hasMessageContaining("name the resource group or the VM");
        assertThat(lookup.byAddress(first.privateIp(), "rg-addr-second", TIMEOUT))
                .isEqualTo(new VmLookup.VmRef("rg-addr-second", "addr-second"));
    }

    @Test
    void anAddressOrNameNoVmHoldsIsAnError() {
        assertThatThrownBy(() -> lookup.byAddress("10.99.99.99", null, TIMEOUT))
                .isInstanceOf(AzureVmException.class)
                .hasMessage("no VM in subscription " + arm.subscriptionId() + " has the address 10.99.99.99");
        assertThatThrownBy(() -> lookup.byAddress("agent.example.com", null, TIMEOUT))
                .hasMessageContaining("no VM in subscription");
        assertThatThrownBy(() -> lookup.byAddress(first.publicIp(), "rg-addr-second", TIMEOUT))
                .as("the first VM's public IP is not in the second's group")
                .hasMessage("no VM in resource group rg-addr-second has the address " + first.publicIp());
    }
}
