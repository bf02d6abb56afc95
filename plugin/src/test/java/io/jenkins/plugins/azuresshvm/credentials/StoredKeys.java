package io.jenkins.plugins.azuresshvm.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.security.ACL;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jenkins.model.Jenkins;

/** Reads generated credentials back from the Jenkins-level store and checks their keys with the real ssh-keygen. */
final class StoredKeys {
    private StoredKeys() {}

    /** The Jenkins-level generated credential {@code id}, which must exist. */
    static GeneratedSSHUserPrivateKeyImpl stored(String id) {
        GeneratedSSHUserPrivateKeyImpl credential = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(GeneratedSSHUserPrivateKeyImpl.class, Jenkins.get(),
                        ACL.SYSTEM2),
                CredentialsMatchers.withId(id));
        assertThat(credential).as("stored credential '%s'", id).isNotNull();
        return credential;
    }

    /** The {@code TYPE BASE64} part of a public key line. */
    static String keyText(String publicKeyLine) {
        String[] fields = publicKeyLine.split(" ");
        return fields[0] + " " + fields[1];
    }

    /**
     * Checks with {@code ssh-keygen -y} that the stored private key (opened with its passphrase) is the private half of
     * the public key the credential shows.
     */
    static void assertSshKeygenDerivesThePublicKey(GeneratedSSHUserPrivateKeyImpl credential, Path dir)
            throws Exception {
        Path key = Files.createTempFile(dir, "key", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(key, credential.getPrivateKeys().get(0));
        String passphrase = credential.getPassphrase() == null ? "" : credential.getPassphrase().getPlainText();
        String derived = OpenSsh.run(OpenSsh.sshKeygen(), "-y", "-P", passphrase, "-f", key.toString())
                .assertSuccess().stdout().strip();
        assertThat(keyText(derived)).isEqualTo(keyText(credential.getPublicKeyLine()));
    }
}
