package io.jenkins.plugins.azuresshvm.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConnectionAttempt}: which host key algorithms are offered and which presented keys are accepted. */
class ConnectionAttemptTest {
    private static final String MINA_ORDER = "ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

    private final SshKeyGenerator generator = new SshKeyGenerator();
    private final SshPublicKey ed25519 = generator.generate(KeyGenSpec.ed25519(), "").publicKey();
    private final SshPublicKey otherEd25519 = generator.generate(KeyGenSpec.ed25519(), "").publicKey();
    private final SshPublicKey ecdsa = generator.generate(KeyGenSpec.ecdsa(256), "").publicKey();

    @Test
    void offersOnlyTheAlgorithmsItHoldsKeysForInTheClientsOrder() {
        ConnectionAttempt attempt = attempt(ed25519, ecdsa);

        assertThat(attempt.restrictHostKeyAlgorithms(MINA_ORDER)).isEqualTo("ecdsa-sha2-nistp256,ssh-ed25519");
    }

    @Test
    void refusesToNegotiateWhenTheClientSupportsNoneOfTheExpectedAlgorithms() {
        assertThatThrownBy(() -> attempt(ed25519).restrictHostKeyAlgorithms("ssh-rsa,rsa-sha2-512"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[ssh-ed25519]");
    }

    @Test
    void acceptsTheExpectedKeyForTheNegotiatedAlgorithm() {
        ConnectionAttempt attempt = attempt(ed25519, ecdsa);

        assertThat(attempt.verify("ssh-ed25519", ed25519.key())).isTrue();
        assertThat(attempt.acceptedKey()).contains(ed25519);
        assertThat(attempt.acceptedAlgorithm()).isEqualTo("ssh-ed25519");
        assertThat(attempt.mismatch()).isEmpty();
    }

    @Test
    void refusesAKeyOfAnAlgorithmNoKeyIsExpectedFor() {
        ConnectionAttempt attempt = attempt(ed25519);

        assertThat(attempt.verify("ecdsa-sha2-nistp256", ecdsa.key())).isFalse();
        assertThat(attempt.acceptedKey()).isEmpty();
        assertThat(attempt.mismatch()).get().extracting(Throwable::getMessage).asString()
                .contains("expected no ecdsa-sha2-nistp256 key", "presented ecdsa-sha2-nistp256 " + ecdsa.fingerprint());
    }

    @Test
    void refusesAnotherKeyAtALaterKeyExchange() {
        ConnectionAttempt attempt = attempt(ed25519);
        attempt.verify("ssh-ed25519", ed25519.key());

        assertThat(attempt.verify("ssh-ed25519", otherEd25519.key())).isFalse();
        assertThat(attempt.mismatch()).get().extracting(Throwable::getMessage).asString()
                .contains("expected ssh-ed25519 " + ed25519.fingerprint(), "presented ssh-ed25519 " + otherEd25519.fingerprint());
    }

    private static ConnectionAttempt attempt(SshPublicKey... keys) {
        return new ConnectionAttempt("10.0.0.4", 22, ExpectedHostKeys.of(List.of(keys), "test"));
    }
}
