package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreseededHostKeysTest {

    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();

    @Test
    void generatesOneFreshEd25519AndEcdsaKeyPerVm() {
        PreseededHostKeys first = PreseededHostKeys.generate(GENERATOR);
        PreseededHostKeys second = PreseededHostKeys.generate(GENERATOR);
        assertThat(first.pairs()).extracting(SshKeyPair::type).containsExactly(KeyType.ED25519, KeyType.ECDSA);
        assertThat(first.expected("vm1").keys()).doesNotContainAnyElementsOf(second.expected("vm1").keys());
        assertThat(first.expected("vm1").source()).isEqualTo("the host keys pre-seeded in VM vm1's customData");
    }

    @Test
    void agreesOnlyWithExactlyTheSameKeys() {
        PreseededHostKeys seeded = PreseededHostKeys.generate(GENERATOR);
        List<io.jenkins.plugins.azuresshvm.keys.SshPublicKey> keys = seeded.expected("vm").keys();
        var withComments = keys.stream().map(key -> key.withComment("root@vm")).toList();
        assertThat(seeded.sameAs(ExpectedHostKeys.of(withComments, "run-command"))).isTrue();
        assertThat(seeded.sameAs(ExpectedHostKeys.of(keys.subList(0, 1), "run-command"))).as("one missing").isFalse();
        var extra = new java.util.ArrayList<>(keys);
        extra.add(GENERATOR.generate(KeyGenSpec.rsa(2048), "").publicKey());
        assertThat(seeded.sameAs(ExpectedHostKeys.of(extra, "run-command"))).as("one more").isFalse();
        var swapped = List.of(keys.get(0), GENERATOR.generate(KeyGenSpec.ecdsa(256), "").publicKey());
        assertThat(seeded.sameAs(ExpectedHostKeys.of(swapped, "run-command"))).as("one other").isFalse();
    }

    @Test
    void refusesNoKeysAndTwoOfAType() {
        SshKeyPair ed25519 = GENERATOR.generate(KeyGenSpec.ed25519(), "");
        assertThatThrownBy(() -> new PreseededHostKeys(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new PreseededHostKeys(List.of(ed25519, GENERATOR.generate(KeyGenSpec.ed25519(), ""))))
                .hasMessage("pre-seeded host keys: two ED25519 keys");
    }

    @Test
    void showsFingerprintsButNeverPrivateKeys() {
        PreseededHostKeys seeded = PreseededHostKeys.generate(GENERATOR);
        String shown = seeded.toString() + VmSpec.builder().name("vm1").resourceGroup("rg").region("westeurope")
                .sshKeys(GENERATOR.generate(KeyGenSpec.ed25519(), "").publicKey()).sshSource("10.0.0.1")
                .ownerId("ci@test").preseededHostKeys(seeded).build();
        assertThat(shown).contains(seeded.expected("vm1").keys().get(0).fingerprint().toString())
                .doesNotContain("PRIVATE");
        for (SshKeyPair pair : seeded.pairs()) {
            assertThat(shown).doesNotContain(java.util.Base64.getEncoder()
                    .encodeToString(pair.keyPair().getPrivate().getEncoded()));
        }
    }

    @Test
    void specHandsThemToCloudInit() {
        PreseededHostKeys seeded = PreseededHostKeys.generate(GENERATOR);
        VmSpec spec = VmSpec.builder().name("vm1").resourceGroup("rg").region("westeurope")
                .sshKeys(GENERATOR.generate(KeyGenSpec.ed25519(), "").publicKey()).sshSource("10.0.0.1")
                .ownerId("ci@test").preseededHostKeys(seeded).sshPort(2222).build();
        assertThat(spec.cloudConfig().hostKeys()).containsOnlyKeys(KeyType.ED25519, KeyType.ECDSA);
        assertThat(spec.cloudConfig().document()).contains("ssh_keys:", "Port 2222");
    }
}
