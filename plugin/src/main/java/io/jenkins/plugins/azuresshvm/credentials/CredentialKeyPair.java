package io.jenkins.plugins.azuresshvm.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.util.Secret;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyDecoder;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.util.Arrays;
import java.util.List;

/** The key pair of any {@link SSHUserPrivateKey}, decoded in controller memory; errors name the credential, never key material. */
public final class CredentialKeyPair {
    private CredentialKeyPair() {}

    /**
     * The credential's first private key with its public half.
     *
     * @param id the credential's id, for messages
     * @throws AbortException when it holds no key, or one that cannot be decoded with its passphrase
     */
    @NonNull
    public static SshKeyPair decode(@NonNull String id, @NonNull SSHUserPrivateKey credential) throws AbortException {
        List<String> keys = credential.getPrivateKeys();
        if (keys.isEmpty()) {
            throw new AbortException("SSH credential '" + id + "' holds no private key");
        }
        Secret passphrase = credential.getPassphrase();
        char[] chars = passphrase == null || passphrase.getPlainText().isEmpty() ? null
                : passphrase.getPlainText().toCharArray();
        try {
            return PrivateKeyDecoder.decode("credential '" + id + "'", keys.get(0), chars);
        } catch (KeyFormatException e) {
            throw new AbortException("SSH credential '" + id + "': " + e.getMessage());
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }
}
