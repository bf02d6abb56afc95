package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyResolver;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.ssh.AuthenticationRefusedException;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh ssh}: a command on a VM over a connection verified against its pinned host keys. */
@Command(
        name = "ssh",
        mixinStandardHelpOptions = true,
        description = {
            "Run COMMAND on a VM as its admin user, connecting only if sshd presents the VM's pinned host key.",
            "The pin is the one 'azssh vm create' stored; a VM re-created under the name (another vmId), or one",
            "without a pin, is probed through run-command and pinned after the verified connection succeeds.",
            "Without -i, tries ~/.ssh/id_rsa, id_ecdsa, id_ed25519 that exist, in OpenSSH's order (security-key,",
            "XMSS and DSA identities are not supported). Passphrase: $AZSSH_PASSPHRASE."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0-255:the remote command's exit status", "1:an error (also: remote command killed by a signal)",
            "2:invalid usage", "3:host key refused: sshd presented another key than the pinned one; nothing ran"})
final class SshCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Azssh azssh;

    @Mixin
    VmName vmName;

    @Option(names = "-i", paramLabel = "IDENTITY", description = "Private key file to log in with.")
    Path identity;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "For reading the VM, probing if needed, connecting (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "PT12H",
            description = "For the remote command (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration commandTimeout;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The remote command, joined by spaces as ssh does.")
    List<String> command;

    /** The identity the server accepted. */
    private Path identityUsed;

    @Override
    public Integer call() throws Exception {
        List<Path> identities = identity != null ? List.of(identity)
                : DefaultIdentities.existing(UserHome.of(azssh.environment()));
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("no identity: give -i FILE or create one of ~/.ssh/"
                    + String.join(", ~/.ssh/", DefaultIdentities.SUPPORTED));
        }
        AzureAccess azure = azssh.azure();
        VmLookup lookup = new VmLookup(azure);
        ProvisionedVm vm = lookup.read(vmName.resourceGroup, vmName.name, connectTimeout);
        PinStore pins = PinStore.of(azssh.environment());
        PinnedHostKeyResolver.Resolution resolution = new PinnedHostKeyResolver(lookup,
                new RunCommandHostKeyProbe(new RunCommand(azure)))
                .resolve(vmName.resourceGroup, vmName.name,
                        pins.read(azure.subscriptionId(), vmName.resourceGroup, vmName.name), connectTimeout);
        try (VerifiedSshClient client = new VerifiedSshClient();
                VerifiedSession session = connect(client, vm, resolution, identities)) {
            if (resolution.repinned()) {
                pins.write(azure.subscriptionId(), vmName.resourceGroup, vmName.name, resolution.pin());
            }
            WriterOutputStream stderr = new WriterOutputStream(spec.commandLine().getErr());
            CommandResult result = session.execute(String.join(" ", command),
                    new WriterOutputStream(spec.commandLine().getOut()), stderr, commandTimeout);
            if (result.exitStatus().isEmpty()) {
                throw new IOException("the remote command ended without an exit status: " + result);
            }
            if (azssh.json()) {
                PrintWriter err = spec.commandLine().getErr();
                if (!stderr.atLineStart()) {
                    err.println();
                }
                err.println(JsonLine.of(new Json(vm.resourceGroup(), vm.name(), vm.vmId(), vm.host(), vm.sshPort(),
                        vm.adminUsername(), identityUsed.toString(), session.hostKeyAlgorithm(),
                        PublicKeyJson.of(session.presentedHostKey()), resolution.repinned(),
                        result.exitStatus().getAsInt())));
                err.flush();
            }
            return result.exitStatus().getAsInt();
        }
    }

    /** A verified session with the first identity the server accepts. */
    private VerifiedSession connect(VerifiedSshClient client, ProvisionedVm vm,
            PinnedHostKeyResolver.Resolution resolution, List<Path> identities) throws Exception {
        AuthenticationRefusedException refused = null;
        for (Path file : identities) {
            SshKeyPair key = readKey(file);
            try {
                VerifiedSession session = client.connect(vm.host(), vm.sshPort(), vm.adminUsername(),
                        resolution.pin().keys(), key, connectTimeout);
                identityUsed = file;
                return session;
            } catch (AuthenticationRefusedException e) {
                refused = e;
            }
        }
        throw refused;
    }

    private SshKeyPair readKey(Path file) throws Exception {
        char[] passphrase = Passphrases.resolve(null, null, azssh.environment());
        try {
            return KeyPairFiles.readPrivateKey(file, passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /**
     * {@code azssh ssh --output json}: the last line on stderr once the remote command exited (stdout is the remote
     * command's, byte for byte).
     *
     * @param resourceGroup the VM's resource group
     * @param name the VM name
     * @param vmId Azure's id of the VM instance the pin holds for
     * @param host the address connected to: the public IP, else the private IP
     * @param port the SSH port
     * @param user the admin user logged in as
     * @param identity the private key file the server accepted
     * @param hostKeyAlgorithm the negotiated host key algorithm
     * @param hostKey the host key sshd presented, which matched the pin
     * @param repinned whether the VM was probed through run-command and pinned anew (no pin, or a re-created VM)
     * @param exitStatus the remote command's exit status, also azssh's exit code
     */
    record Json(String resourceGroup, String name, String vmId, String host, int port, String user, String identity,
            String hostKeyAlgorithm, PublicKeyJson hostKey, boolean repinned, int exitStatus) {}
}
