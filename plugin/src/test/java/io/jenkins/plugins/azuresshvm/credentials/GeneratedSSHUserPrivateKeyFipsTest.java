package io.jenkins.plugins.azuresshvm.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/** In FIPS-140 mode only what ssh-credentials accepts there is generated: RSA, passphrases of 14 characters or more. */
class GeneratedSSHUserPrivateKeyFipsTest {

    // as ssh-credentials' own FIPS test: plugins that do not load in FIPS-140 mode are left out
    @RegisterExtension
    private final RealJenkinsExtension jenkins = new RealJenkinsExtension().omitPlugins("eddsa-api", "trilead-api")
            .javaOptions("-Djenkins.security.FIPS140.COMPLIANCE=true");

    @Test
    void onlyRsaKeysAndLongPassphrasesAreGenerated() throws Throwable {
        jenkins.then(GeneratedSSHUserPrivateKeyFipsTest::onlyRsaKeysAndLongPassphrases);
    }

    private static void onlyRsaKeysAndLongPassphrases(JenkinsRule r) {
        assertThatThrownBy(() -> generated(GeneratedKeyType.ED25519, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credential 'k': Ed25519 keys are not allowed in FIPS-140 mode; use RSA");
        assertThatThrownBy(() -> generated(GeneratedKeyType.RSA_2048, "13 characters"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credential 'k': in FIPS-140 mode a passphrase needs at least 14 characters");

        GeneratedSSHUserPrivateKeyImpl accepted = generated(GeneratedKeyType.RSA_2048, "fourteen chars");
        // what ssh-credentials makes of it on the way to an agent runs its own FIPS check on our key
        SSHUserPrivateKey snapshot = CredentialsProvider.snapshot(SSHUserPrivateKey.class, accepted);
        assertThat(snapshot).isInstanceOf(BasicSSHUserPrivateKey.class);
        assertThat(snapshot.getPrivateKeys()).isEqualTo(accepted.getPrivateKeys());

        ListBoxModel types = r.jenkins.getDescriptorByType(GeneratedSSHUserPrivateKeyImpl.DescriptorImpl.class)
                .doFillKeyTypeItems(r.jenkins);
        assertThat(types).extracting(option -> option.value).containsExactly("RSA_4096", "RSA_3072", "RSA_2048");
    }

    private static GeneratedSSHUserPrivateKeyImpl generated(GeneratedKeyType type, String passphrase) {
        GeneratedSSHUserPrivateKeyImpl credential =
                new GeneratedSSHUserPrivateKeyImpl(CredentialsScope.GLOBAL, "k", null, "azureuser", type);
        credential.setPassphrase(passphrase == null ? null : Secret.fromString(passphrase));
        credential.keepOrGenerateKey();
        return credential;
    }
}
