package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The az CLI's {@code --generate-ssh-keys}: {@code ~/.ssh/id_rsa.pub} when it exists, else a new
 * {@code ~/.ssh/id_rsa} (RSA 4096, PEM, as Azure's documentation; 0600) and {@code id_rsa.pub} (0644). Nothing is
 * ever overwritten.
 */
final class DefaultSshKeyPair {
    private DefaultSshKeyPair() {}

    /**
     * The pair to use.
     *
     * @param privateKeyFile {@code ~/.ssh/id_rsa}
     * @param publicKeyFile {@code ~/.ssh/id_rsa.pub}
     * @param generated whether the pair was created by this call
     */
    record Outcome(Path privateKeyFile, Path publicKeyFile, boolean generated) {}

    /**
     * Reuses or creates the pair under {@code home}.
     *
     * @param passphrase encrypts a new private key; {@code null} for none
     * @throws IllegalArgumentException when {@code id_rsa} exists without {@code id_rsa.pub}
     */
    static Outcome reuseOrCreate(Path home, char[] passphrase, String comment) throws IOException {
        Path dir = home.resolve(".ssh");
        Path privateKey = dir.resolve("id_rsa");
        Path publicKey = KeyPairFiles.publicKeyPath(privateKey);
        if (Files.exists(publicKey)) {
            return new Outcome(privateKey, publicKey, false);
        }
        if (Files.exists(privateKey, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(privateKey + " exists without " + publicKey + ": not overwriting it;"
                    + " write its public key with 'ssh-keygen -y -f " + privateKey + " > " + publicKey
                    + "' or give --ssh-key-values");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        SshKeyPair pair = new SshKeyGenerator().generate(KeyGenSpec.DEFAULT, comment);
        KeyPairFiles.write(privateKey, new PrivateKeyEncoder().encode(pair, PrivateKeyFormat.PEM, passphrase),
                pair.publicKey(), false);
        return new Outcome(privateKey, publicKey, true);
    }
}
