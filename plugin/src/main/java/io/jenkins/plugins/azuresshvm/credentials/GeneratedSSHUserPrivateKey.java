package io.jenkins.plugins.azuresshvm.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.NameWith;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;

/**
 * An SSH key pair that Jenkins generated on the controller, whose private key never left it. It is an {@link
 * SSHUserPrivateKey}, so git, {@code sshagent}, {@code withCredentials(sshUserPrivateKey(…))} and SSH build agents use
 * it unchanged; what it adds is its public key, to hand to the machines that must accept it.
 */
@NameWith(value = GeneratedSSHUserPrivateKey.NameProvider.class, priority = 32)
public interface GeneratedSSHUserPrivateKey extends SSHUserPrivateKey {

    /** The type and size of the key pair. */
    @NonNull
    GeneratedKeyType getKeyType();

    /**
     * The public key as one {@code authorized_keys} line, {@code TYPE BASE64 COMMENT} (the comment is the credential
     * id), without trailing whitespace; {@code null} only before the pair is generated.
     */
    @CheckForNull
    String getPublicKeyLine();

    /** The public key's SHA256 fingerprint as OpenSSH prints it; {@code null} only before the pair is generated. */
    @CheckForNull
    String getFingerprint();

    /** Names the credential by user, key type and fingerprint, so lists and its page tell keys apart. */
    class NameProvider extends CredentialsNameProvider<GeneratedSSHUserPrivateKey> {
        @NonNull
        @Override
        public String getName(@NonNull GeneratedSSHUserPrivateKey credentials) {
            String description = Util.fixEmptyAndTrim(credentials.getDescription());
            String fingerprint = credentials.getFingerprint();
            String key = credentials.getKeyType().getDisplayName() + (fingerprint == null ? "" : " " + fingerprint);
            String user = credentials.isUsernameSecret() ? "" : credentials.getUsername() + " ";
            return user + "(" + key + ")" + (description == null ? "" : " (" + description + ")");
        }
    }
}
