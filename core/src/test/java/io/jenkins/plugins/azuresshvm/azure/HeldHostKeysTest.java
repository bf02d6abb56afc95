package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys held since provisioning, with keys made by the real ssh-keygen standing in for what sshd presents. */
class HeldHostKeysTest {
    @TempDir
    Path dir;

    @Test
    void acceptsOnlyTheHeldBlobForTheNegotiatedAlgorithmNamingBothFingerprintsOtherwise() throws Exception {
        SshPublicKey ed25519 = keygen("ed25519", "a");
        SshPublicKey rsa = keygen("rsa", "b");
        SshPublicKey attacker = keygen("ed25519", "c");
        HeldHostKeys held = HeldHostKeys.of("agents-abc123", ExpectedHostKeys.of(List.of(ed25519, rsa),
                "run-command on VM agents-abc123"));

        PinnedHostKeyVerification.Verdict accepted = held.verify("ssh-ed25519", ed25519.blob());
        PinnedHostKeyVerification.Verdict rsaSha2 = held.verify("rsa-sha2-512", rsa.blob());
        PinnedHostKeyVerification.Verdict mitm = held.verify("ssh-ed25519", attacker.blob());
        PinnedHostKeyVerification.Verdict wrongAlgorithm = held.verify("ssh-ed25519", rsa.blob());
        PinnedHostKeyVerification.Verdict garbage = held.verify("ssh-ed25519", new byte[] {0, 0, 0, 1, 'x'});

        assertThat(accepted.accepted()).isTrue();
        assertThat(accepted.explanation()).isEqualTo("host key of VM agents-abc123 verified: ssh-ed25519 "
                + ed25519.fingerprint() + " from run-command on VM agents-abc123");
        assertThat(rsaSha2.accepted()).isTrue();
        assertThat(mitm.accepted()).isFalse();
        assertThat(mitm.explanation()).contains("does not match", ed25519.fingerprint().toString(), attacker.fingerprint().toString());
        assertThat(wrongAlgorithm.accepted()).isFalse();
        assertThat(garbage.accepted()).isFalse();
        assertThat(garbage.explanation()).contains("undecodable", ed25519.fingerprint().toString());
        assertThat(held.hostKeyAlgorithms()).contains("ssh-ed25519", "rsa-sha2-512").doesNotContain("ecdsa-sha2-nistp256");
    }

    @Test
    void roundTripsThroughTheAgentsConfigurationTextAndRefusesWhatItCannotRead() throws Exception {
        SshPublicKey ecdsa = keygen("ecdsa", "me@host");
        HeldHostKeys held = HeldHostKeys.of("vm1", ExpectedHostKeys.of(List.of(ecdsa), "x"));

        String text = held.toText();
        HeldHostKeys read = HeldHostKeys.parse("vm1", "\n" + text + "\n");

        assertThat(text).isEqualTo(ecdsa.withComment("").toLine().strip() + "\n").doesNotContain("me@host");
        assertThat(read.verify("ecdsa-sha2-nistp256", ecdsa.blob()).accepted()).isTrue();
        assertThat(read.keys().source()).isEqualTo("the host keys learned when VM vm1 was provisioned");
        assertThatThrownBy(() -> HeldHostKeys.parse("vm1", text + "ssh-ed25519 AAAA-not-base64\n"))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("host keys of VM vm1")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> HeldHostKeys.parse("vm1", " \n")).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("none held");
        assertThatThrownBy(() -> HeldHostKeys.parse("vm1", text + text)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("two ecdsa-sha2-nistp256 host keys");
    }

    private SshPublicKey keygen(String type, String comment) throws Exception {
        Path key = dir.resolve(type + "-" + comment.replaceAll("\\W", ""));
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString())
                .assertSuccess();
        return SshPublicKey.parse(Files.readString(Path.of(key + ".pub")));
    }
}
