package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.FingerprintListing;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh keygen}: ssh-keygen's key generation, with Azure's defaults and without silent overwrites. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
            "Generate an SSH key pair: PATH (private, mode 0600) and PATH.pub (public).",
            "Defaults follow Azure's documentation: RSA 4096, PEM. Existing files are never replaced without --force."
        })
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Azssh azssh;

    @Option(names = "-t", paramLabel = "TYPE", defaultValue = "rsa",
            description = "Key type: rsa, ed25519 or ecdsa (ecdsa is not accepted by Azure). Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "-b", paramLabel = "BITS",
            description = "Key size: RSA 2048-16384 (default 4096), ECDSA 256/384/521 (default 256).")
    Integer bits;

    @Option(names = "-m", paramLabel = "FORMAT",
            description = "Private key format: pem or openssh. Default: pem for RSA, openssh otherwise.")
    String format;

    @Option(names = "-C", paramLabel = "COMMENT", description = "Comment. Default: user@host.")
    String comment;

    @Option(names = "-N", paramLabel = "PASSPHRASE",
            description = "Passphrase (empty for none). Also read from --passphrase-file or $AZSSH_PASSPHRASE.")
    String passphrase;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the passphrase from FILE's first line.")
    Path passphraseFile;

    @Option(names = "-f", paramLabel = "PATH", required = true, description = "Where to write the private key.")
    Path path;

    @Option(names = "--force", description = "Replace PATH and PATH.pub if they exist.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        KeyType keyType = KeyType.fromCliName(type);
        KeyGenSpec keySpec = new KeyGenSpec(keyType, bits != null ? bits : keyType.defaultBits());
        PrivateKeyFormat keyFormat = format != null ? PrivateKeyFormat.fromName(format)
                : PrivateKeyFormat.defaultFor(keyType);
        keyFormat.checkSupports(keyType);
        char[] secret = Passphrases.resolve(passphrase, passphraseFile, azssh.environment());
        try {
            SshKeyPair pair = new SshKeyGenerator().generate(keySpec, comment != null ? comment : LocalUser.atHost());
            String text = new PrivateKeyEncoder().encode(pair, keyFormat, secret);
            KeyPairFiles.write(path, text, pair.publicKey(), force);
            if (!keyType.acceptedByAzure()) {
                spec.commandLine().getErr().println("azssh: note: Azure does not accept " + keyType.label()
                        + " keys for Linux VMs; use rsa or ed25519 there");
            }
            String formatName = keyFormat.name().toLowerCase(Locale.ROOT);
            boolean encrypted = secret != null;
            azssh.print(spec.commandLine().getOut(), out -> {
                out.println("Private key (" + formatName + (encrypted ? ", encrypted" : "") + "): " + path);
                out.println("Public key: " + KeyPairFiles.publicKeyPath(path));
                out.println(new FingerprintListing.Entry(pair.publicKey(), pair.comment())
                        .toLine(Fingerprint.Algorithm.SHA256));
            }, () -> new Json(path.toString(), KeyPairFiles.publicKeyPath(path).toString(), formatName, encrypted,
                    PublicKeyJson.of(pair.publicKey()), pair.comment()));
            return 0;
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    /**
     * {@code azssh keygen --output json}; never the private key itself.
     *
     * @param privateKeyFile where the private key was written (0600)
     * @param publicKeyFile where the public key was written (0644)
     * @param format {@code pem} or {@code openssh}
     * @param encrypted whether the private key has a passphrase
     * @param key the public key
     * @param comment the key's comment
     */
    record Json(String privateKeyFile, String publicKeyFile, String format, boolean encrypted, PublicKeyJson key,
            String comment) {}
}
