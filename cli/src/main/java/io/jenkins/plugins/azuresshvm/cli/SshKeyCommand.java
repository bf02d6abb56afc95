package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.SshPublicKeyResources;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh sshkey}: Azure's SSH public key resources, like {@code az sshkey}. */
@Command(
        name = "sshkey",
        mixinStandardHelpOptions = true,
        description = "Create and show Azure SSH public key resources (Microsoft.Compute/sshPublicKeys).",
        subcommands = {SshKeyCommand.Create.class, SshKeyCommand.Show.class})
final class SshKeyCommand {
    @ParentCommand
    Azssh azssh;

    /** {@code -g GROUP -n NAME} of an SSH public key resource. */
    static final class KeyName {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true,
                description = "Resource group.")
        String resourceGroup;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Key resource name.")
        String name;
    }

    /** {@code azssh sshkey create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create an SSH public key resource from a public key file (RSA >= 2048 bits or Ed25519), or have",
                "Azure generate the pair: its private key is written to -f FILE (0600) and FILE.pub, never over an",
                "existing file, and never printed."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:created", "1:an error", "2:invalid usage"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        SshKeyCommand sshkey;

        @Mixin
        KeyName keyName;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--public-key", paramLabel = "FILE", description = "A public key file (.pub).")
            Path publicKey;

            @Option(names = "--generate", description = "Have Azure generate the key pair (needs -f).")
            boolean generate;
        }

        @Option(names = {"-f", "--private-key-file"}, paramLabel = "FILE",
                description = "With --generate: where to write the private key (FILE.pub gets the public key).")
        Path privateKeyFile;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "rsa",
                description = "With --generate: rsa (Azure makes RSA-3072) or ed25519. Default: ${DEFAULT-VALUE}.")
        String type;

        @Option(names = {"-l", "--location"}, paramLabel = "REGION",
                description = "Region. Default: the resource group's.")
        String region;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT2M",
                description = "ISO-8601. Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            SshPublicKeyResources keys = new SshPublicKeyResources(sshkey.azssh.azure());
            SshPublicKeyResources.Resource created;
            if (source.generate) {
                if (privateKeyFile == null) {
                    throw new IllegalArgumentException("--generate needs -f FILE for the private key Azure returns"
                            + " (only once)");
                }
                created = keys.generate(keyName.resourceGroup, keyName.name, region, keyType(), privateKeyFile,
                        timeout);
            } else {
                if (privateKeyFile != null) {
                    throw new IllegalArgumentException("-f is for --generate; with --public-key no private key is"
                            + " written");
                }
                created = keys.create(keyName.resourceGroup, keyName.name, region, publicKey(source.publicKey),
                        timeout);
            }
            sshkey.print(spec.commandLine().getOut(), created, source.generate ? privateKeyFile : null);
            if (source.generate) {
                spec.commandLine().getErr().println("Private key written to " + privateKeyFile + " (0600), public key"
                        + " to " + KeyPairFiles.publicKeyPath(privateKeyFile));
            }
            return 0;
        }

        private KeyType keyType() {
            return switch (type) {
                case "rsa" -> KeyType.RSA;
                case "ed25519" -> KeyType.ED25519;
                default -> throw new IllegalArgumentException("--type: Azure generates rsa or ed25519 key pairs, not '"
                        + type + "'");
            };
        }

        private static SshPublicKey publicKey(Path file) throws java.io.IOException, KeyFormatException {
            try {
                return SshPublicKey.parse(KeyPairFiles.readText(file).strip());
            } catch (KeyFormatException e) {
                throw e.at(file.toString(), 1);
            }
        }
    }

    /** {@code azssh sshkey show}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show an SSH public key resource: id, location, public key and its fingerprint.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:shown", "1:an error (e.g. not found)", "2:invalid usage"})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        SshKeyCommand sshkey;

        @Mixin
        KeyName keyName;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1M",
                description = "ISO-8601. Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            sshkey.print(spec.commandLine().getOut(), new SshPublicKeyResources(sshkey.azssh.azure())
                    .show(keyName.resourceGroup, keyName.name, timeout), null);
            return 0;
        }
    }

    /** Prints the key resource, and with {@code --generate} where its private key was written. */
    private void print(PrintWriter out, SshPublicKeyResources.Resource key, Path privateKeyFile) {
        azssh.print(out, text -> print(text, key), () -> new Json(key.id(), key.name(), key.resourceGroup(),
                key.location(), key.publicKey() != null ? PublicKeyJson.of(key.publicKey()) : null,
                privateKeyFile != null ? privateKeyFile.toString() : null,
                privateKeyFile != null ? KeyPairFiles.publicKeyPath(privateKeyFile).toString() : null));
    }

    private static void print(PrintWriter out, SshPublicKeyResources.Resource key) {
        out.println("SSH public key: " + key.id());
        out.println("Location: " + key.location());
        if (key.publicKey() == null) {
            out.println("Public key: none");
            return;
        }
        out.println("Public key: " + key.publicKey().toLine());
        out.println("Fingerprint: " + key.publicKey().bits() + " " + key.publicKey().fingerprint() + " ("
                + key.publicKey().type().label() + ")");
    }

    /**
     * {@code azssh sshkey create | show --output json}.
     *
     * @param id the resource's ARM id
     * @param name its name
     * @param resourceGroup its resource group
     * @param location its region
     * @param publicKey the public key it holds, or {@code null} when it holds none
     * @param privateKeyFile with {@code create --generate}: where the private key was written (0600), else
     *     {@code null}; the private key itself is never printed
     * @param publicKeyFile with {@code create --generate}: {@code privateKeyFile.pub}, else {@code null}
     */
    record Json(String id, String name, String resourceGroup, String location, PublicKeyJson publicKey,
            String privateKeyFile, String publicKeyFile) {}
}
