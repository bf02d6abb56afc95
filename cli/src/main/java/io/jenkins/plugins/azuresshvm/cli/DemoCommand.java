package io.jenkins.plugins.azuresshvm.cli;

import com.azure.core.management.profile.AzureProfile;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureClouds;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.FixedTokenCredential;
import io.jenkins.plugins.azuresshvm.azure.PreseededHostKeys;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.TrustingHttpClients;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.FingerprintListing;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.ssh.CommandResult;
import io.jenkins.plugins.azuresshvm.ssh.HostKeyMismatchException;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code azssh demo}: the whole verified workflow on the embedded ARM emulator — key, VM, host keys learned through
 * run-command, a verified connection, a command, clean-up — or, with {@code --mitm}, the refusal of a VM whose SSH
 * endpoint presents other host keys.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the verified workflow end to end on an embedded ARM emulator (real sshd VMs; needs root,",
            "openssh-server, libnss-wrapper): generate a key, create a VM, learn its host keys via run-command,",
            "connect only if sshd presents them, run 'uname -a', delete everything.",
            "With --mitm the VM's SSH endpoint presents other host keys: the connection is refused and no",
            "command runs (exit 0 when refused as it must be, 1 if it were not).",
            "With --preseed-host-keys the host keys are generated here and installed by cloud-init: the connection",
            "is verified with them at once while run-command (3 s here) cross-checks them; the step timings show it."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the workflow ran (with --mitm: the connection was refused)", "1:an error",
            "3:--preseed-host-keys: run-command reported other host keys than the pre-seeded ones"})
final class DemoCommand implements Callable<Integer> {
    private static final String VM = "azssh-demo";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String COMMAND = "uname -a";
    /** With pre-seeded host keys, run-command takes this long: a stand-in for Azure's 20 s and more. */
    private static final Duration PRESEEDED_RUN_COMMAND = Duration.ofSeconds(3);

    @Spec
    CommandSpec spec;

    @ParentCommand
    Azssh azssh;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Use this private key (passphrase from $AZSSH_PASSPHRASE) instead of generating one.")
    Path key;

    @Option(names = "--mitm", description = "Make the VM's SSH endpoint present other host keys (an attack).")
    boolean mitm;

    @Option(names = "--preseed-host-keys",
            description = "Pre-seed the VM's host keys in customData; run-command only cross-checks them.")
    boolean preseedHostKeys;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StepPrinter steps = new StepPrinter(spec.commandLine().getErr(), (mitm ? 6 : 7) + (preseedHostKeys ? 1 : 0));
        try {
            return run(out, steps);
        } catch (Exception | Error e) {
            steps.failed();
            throw e;
        }
    }

    private int run(PrintWriter out, StepPrinter steps) throws Exception {
        steps.start("Starting the embedded ARM emulator (HTTPS on 127.0.0.1, VMs are real sshd)");
        ArmEmulator.Builder emulator = ArmEmulator.builder();
        if (preseedHostKeys) {
            emulator.latencies(new Latencies(Duration.ZERO, Duration.ZERO, PRESEEDED_RUN_COMMAND));
        }
        try (ArmEmulator arm = emulator.start()) {
            AzureAccess azure = AzureAccess.of(new FixedTokenCredential("demo"),
                    TrustingHttpClients.jdkTrusting(arm.caCertificatePem()),
                    new AzureProfile(null, arm.subscriptionId(), AzureClouds.withArmEndpoint(arm.endpoint())));

            steps.start(key == null ? "Generating an RSA-4096 key pair" : "Reading the key " + key);
            SshKeyPair identity = identity();

            steps.start("Creating VM " + VM + " (resource group, NSG, public IP, vnet, NIC, VM)");
            AzureVmProvisioner provisioner = new AzureVmProvisioner(azure);
            VerifiedVmLauncher launcher = new VerifiedVmLauncher(provisioner,
                    new RunCommandHostKeyProbe(new RunCommand(azure)));
            VmSpec.Builder vmSpec = VmSpec.builder()
                    .name(VM)
                    .newResourceGroup(VM + "-rg")
                    .region("westeurope")
                    .sshKeys(identity.publicKey())
                    .sshSource("127.0.0.1/32")
                    .ownerId("azssh-demo:" + System.getProperty("user.name"));
            if (preseedHostKeys) {
                vmSpec.preseededHostKeys(PreseededHostKeys.generate(new SshKeyGenerator()));
            }
            VerifiedVm verified = launcher.launch(vmSpec.build(), TIMEOUT, step -> {
                if (step == VerifiedVmLauncher.Step.PROBE) {
                    steps.start(preseedHostKeys
                            ? "Waiting for SSH (host keys pre-seeded in customData; run-command cross-checks them)"
                            : "Learning its host keys via run-command (while waiting for SSH)");
                    if (mitm) {
                        attack(arm);
                    }
                }
            });
            Connection connection;
            try {
                connection = connectAndRun(steps, verified, identity);
                if (preseedHostKeys) {
                    steps.start("Waiting for run-command's cross-check of the pre-seeded host keys");
                    verified.crossCheck().await(TIMEOUT);
                }
            } finally {
                steps.start("Deleting everything we created");
                provisioner.delete(verified.vm(), TIMEOUT);
                steps.done();
            }
            int armRequests = arm.requestLog().size();
            azssh.print(out, text -> print(text, verified, connection, armRequests), () -> new Json(mitm,
                    connection.refusal() != null, connection.refusal(), COMMAND, connection.output(),
                    connection.exitStatus(), verified.vm().host(), connection.hostKeyAlgorithm(),
                    connection.presented() != null ? PublicKeyJson.of(connection.presented()) : null,
                    verified.hostKeys().keys().stream().map(PublicKeyJson::of).toList(), verified.knownHostsLines(),
                    hostKeySource(), preseedHostKeys ? "confirmed" : null, armRequests));
            return connection.refusal() != null ? (mitm ? 0 : 1) : (!mitm && connection.succeeded() ? 0 : 1);
        }
    }

    /**
     * What connecting did: the command ran over a verified connection, or the connection was refused.
     *
     * @param output the command's stdout, or {@code null} when refused
     * @param exitStatus its exit status, or {@code null} when refused or killed by a signal
     * @param hostKeyAlgorithm the negotiated host key algorithm, or {@code null} when refused
     * @param presented the host key sshd presented, or {@code null} when refused
     * @param refusal why the connection was refused, or {@code null}
     */
    private record Connection(String output, Integer exitStatus, String hostKeyAlgorithm, SshPublicKey presented,
            String refusal) {
        boolean succeeded() {
            return exitStatus != null && exitStatus == 0;
        }
    }

    private Connection connectAndRun(StepPrinter steps, VerifiedVm verified, SshKeyPair identity) throws IOException {
        String target = verified.vm().adminUsername() + "@" + verified.vm().host() + ":" + verified.vm().sshPort();
        steps.start("Connecting to " + target + ", accepting only the " + (preseedHostKeys ? "pre-seeded" : "probed")
                + " host keys");
        try (VerifiedSshClient client = new VerifiedSshClient();
                VerifiedSession session = client.connect(verified.vm().host(), verified.vm().sshPort(),
                        verified.vm().adminUsername(), verified.hostKeys(), identity, Duration.ofSeconds(30))) {
            verified.crossCheck().closeOnFailure(session);
            steps.start("Running '" + COMMAND + "'");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            CommandResult result = session.execute(COMMAND, stdout, stderr, Duration.ofSeconds(30));
            steps.done();
            return new Connection(stdout.toString(StandardCharsets.UTF_8),
                    result.exitStatus().isPresent() ? result.exitStatus().getAsInt() : null,
                    session.hostKeyAlgorithm(), session.presentedHostKey(), null);
        } catch (HostKeyMismatchException e) {
            steps.failed();
            return new Connection(null, null, null, null, e.getMessage());
        }
    }

    private void print(PrintWriter out, VerifiedVm verified, Connection connection, int armRequests) {
        if (connection.refusal() != null) {
            out.println("REFUSED: " + connection.refusal());
            out.println("No command ran: the server did not present the host key that "
                    + (preseedHostKeys ? "was pre-seeded." : "run-command reported."));
        } else {
            out.print(connection.output());
            out.println("Host keys " + (preseedHostKeys ? "pre-seeded in customData" : "learned via run-command")
                    + " (verified: sshd presented "
                    + connection.hostKeyAlgorithm() + " " + connection.presented().fingerprint() + "):");
            for (SshPublicKey hostKey : verified.hostKeys().keys()) {
                out.println("  " + new FingerprintListing.Entry(hostKey, "").toLine(Fingerprint.Algorithm.SHA256));
            }
            out.println("known_hosts lines for ssh -o StrictHostKeyChecking=yes:");
            verified.knownHostsLines().forEach(line -> out.println("  " + line));
            if (mitm) {
                out.println("NOT REFUSED: the man in the middle was not detected");
            }
        }
        if (preseedHostKeys) {
            out.println("Cross-check: confirmed (run-command reports exactly the pre-seeded host keys)");
        }
        out.println("ARM requests for the whole run: " + armRequests);
    }

    /** What verified the host keys: {@code run-command}, or {@code preseeded} (customData). */
    private String hostKeySource() {
        return preseedHostKeys ? "preseeded" : "run-command";
    }

    private SshKeyPair identity() throws Exception {
        if (key != null) {
            char[] passphrase = Passphrases.resolve(null, null, azssh.environment());
            try {
                return KeyPairFiles.readPrivateKey(key, passphrase);
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
        return new SshKeyGenerator().generate(KeyGenSpec.DEFAULT, "azssh-demo");
    }

    private static void attack(ArmEmulator arm) {
        try {
            arm.attack(VM, Attack.foreignHostKeys());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code azssh demo --output json}.
     *
     * @param mitm whether {@code --mitm} was given
     * @param refused whether the connection was refused (what must happen with {@code --mitm})
     * @param refusal why, or {@code null}
     * @param command the command run on the VM
     * @param commandOutput its stdout, or {@code null} when refused
     * @param exitStatus its exit status, or {@code null} when refused
     * @param host the VM's address
     * @param hostKeyAlgorithm the negotiated host key algorithm, or {@code null} when refused
     * @param presentedHostKey the host key sshd presented, or {@code null} when refused
     * @param hostKeys the host keys learned through run-command, or pre-seeded
     * @param knownHosts known_hosts lines for them
     * @param hostKeySource what verified them: {@code run-command}, or {@code preseeded} (customData)
     * @param crossCheck {@code confirmed} when run-command reported exactly the pre-seeded keys; {@code null}
     *     without {@code --preseed-host-keys}
     * @param armRequests the ARM requests of the whole run
     */
    record Json(boolean mitm, boolean refused, String refusal, String command, String commandOutput,
            Integer exitStatus, String host, String hostKeyAlgorithm, PublicKeyJson presentedHostKey,
            List<PublicKeyJson> hostKeys, List<String> knownHosts, String hostKeySource, String crossCheck,
            int armRequests) {}
}
