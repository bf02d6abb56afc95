package io.jenkins.plugins.azuresshvm.steps;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.HostKeyCrossCheck;
import io.jenkins.plugins.azuresshvm.azure.InvalidVmSpecException;
import io.jenkins.plugins.azuresshvm.azure.PreseededHostKeys;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.credentials.CredentialKeyPair;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSession;
import io.jenkins.plugins.azuresshvm.ssh.VerifiedSshClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code azureSshVm} and {@code azureSshVmCreate} do before handing the VM over: create it through core, learn
 * its host keys via run-command, then log in once from the controller accepting only those keys (so a man in the
 * middle fails the step here, naming the expected and presented fingerprints). Any failure after creation deletes
 * the VM. The private key is decoded in controller memory only, for that login. With {@code preseedHostKeys} the
 * login uses the host keys we generated and handed to cloud-init, and run-command cross-checks them in the background:
 * the caller waits for that with {@link #confirm}, or ends the VM's use when it fails ({@link #refusal}).
 */
final class VmCreation {
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(20);
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long a step waits, once it needs it, for run-command to confirm pre-seeded host keys. */
    static final Duration CROSS_CHECK_TIMEOUT = Duration.ofMinutes(10);

    private VmCreation() {}

    /**
     * A created VM, verified by its first login, and run-command's confirmation of its host keys: done at once when
     * run-command supplied them, pending with pre-seeded keys. The check lives in controller memory only.
     */
    record Launched(CreatedVm vm, HostKeyCrossCheck crossCheck) {}

    static Launched create(VmRequest request, Run<?, ?> run, TaskListener listener, String stepName)
            throws IOException, InterruptedException {
        SSHUserPrivateKey sshCredential = sshCredential(request.sshCredentialsId, run);
        SshKeyPair identity = CredentialKeyPair.decode(request.sshCredentialsId, sshCredential);
        VmSpec spec = spec(request, identity.publicKey(),
                request.adminUsername != null ? request.adminUsername : sshCredential.getUsername());
        StageLog stages = new StageLog(listener, stepName);
        spec.warnings().forEach(warning -> stages.info("WARNING: " + warning));
        AzureAccess azure = AzureConnector.get().connect(request.azureCredentialsId, run);
        AzureVmProvisioner provisioner = new AzureVmProvisioner(azure, Duration.ofSeconds(2),
                java.time.Clock.systemUTC());
        VerifiedVm verified;
        try {
            verified = new VerifiedVmLauncher(provisioner, new RunCommandHostKeyProbe(new RunCommand(azure)))
                    .launch(spec, LAUNCH_TIMEOUT, step -> stages.start(stageName(spec, step)));
        } catch (HostKeyProbeException | AzureVmException | IllegalStateException e) {
            stages.failed();
            throw new AbortException(stepName + ": " + e.getMessage() + " (what was created is deleted)");
        }
        CreatedVm created = new CreatedVm(verified);
        String target = created.adminUsername() + "@" + created.host() + ":" + created.sshPort();
        stages.start("Logging in to " + target + " accepting only those host keys");
        try (VerifiedSshClient client = new VerifiedSshClient();
                VerifiedSession session = client.connect(created.host(), created.sshPort(),
                        created.adminUsername(), verified.hostKeys(), identity, LOGIN_TIMEOUT)) {
            stages.done();
            stages.info("Host keys of VM " + created.name() + " (verified against " + verified.hostKeys().source()
                    + ": sshd presented " + session.hostKeyAlgorithm() + " "
                    + session.presentedHostKey().fingerprint()
                    + (verified.crossCheck().isDone() ? "" : "; run-command's cross-check pending") + "):");
            created.fingerprints().forEach(fingerprint -> stages.info("  " + fingerprint));
        } catch (IOException e) {
            stages.failed();
            AbortException refused = new AbortException(stepName + ": refusing VM " + created.name() + ": "
                    + e.getMessage());
            VmDeletion.delete(created, azure, stages);
            throw refused;
        }
        return new Launched(created, verified.crossCheck());
    }

    /**
     * Waits, at most {@link #CROSS_CHECK_TIMEOUT}, for run-command to confirm the pre-seeded host keys the VM was
     * verified with; logged as a stage when pending.
     *
     * @throws AbortException naming the disagreement, or the check's failure or timeout
     */
    static void confirm(Launched launched, StageLog stages, String stepName) throws AbortException {
        boolean pending = !launched.crossCheck().isDone();
        if (pending) {
            stages.start("Waiting for run-command to confirm the pre-seeded host keys of VM " + launched.vm().name());
        }
        try {
            awaitConfirmation(launched, stepName);
        } catch (AbortException e) {
            if (pending) {
                stages.failed();
            }
            throw e;
        }
        if (pending) {
            stages.done();
        }
        stages.info("run-command confirmed the pre-seeded host keys of VM " + launched.vm().name());
    }

    /** The step's error for a cross-check that has failed, or {@code null} while it is pending or after success. */
    static AbortException refusal(Launched launched, String stepName) {
        if (!launched.crossCheck().isDone()) {
            return null;
        }
        try {
            awaitConfirmation(launched, stepName);
            return null;
        } catch (AbortException e) {
            return e;
        }
    }

    /** The step's error for a cross-check that failed with {@code failure}. */
    static AbortException refusal(Launched launched, String stepName, Throwable failure) {
        return new AbortException(stepName + ": refusing VM " + launched.vm().name() + ": the run-command"
                + " cross-check of its pre-seeded host keys failed: " + failure.getMessage() + " (the VM is deleted)");
    }

    private static void awaitConfirmation(Launched launched, String stepName) throws AbortException {
        try {
            launched.crossCheck().await(CROSS_CHECK_TIMEOUT);
        } catch (HostKeyProbeException | RuntimeException e) {
            throw refusal(launched, stepName, e);
        }
    }

    /** What the launcher does in {@code step}, as the build log names it: which mode verifies the host keys. */
    private static String stageName(VmSpec spec, VerifiedVmLauncher.Step step) {
        if (step == VerifiedVmLauncher.Step.PROVISION) {
            return "Creating VM " + spec.name() + " in resource group " + spec.resourceGroup()
                    + " (NSG, public IP, virtual network, NIC, VM"
                    + (spec.jit() ? ", just-in-time access policy)" : ")");
        }
        String jit = spec.jit() ? " after requesting just-in-time SSH access for " + spec.sshSource() : "";
        return spec.preseededHostKeys() != null
                ? "Waiting for SSH" + jit + " (host keys pre-seeded; run-command cross-checks them in the background)"
                : "Learning its SSH host keys via run-command (while waiting for SSH" + jit + ")";
    }

    private static SSHUserPrivateKey sshCredential(String id, Run<?, ?> run) throws AbortException {
        SSHUserPrivateKey credential = CredentialsProvider.findCredentialById(id, SSHUserPrivateKey.class, run,
                List.of());
        if (credential == null) {
            throw new AbortException("sshCredentialsId '" + id + "': no SSH private key credential with this id is"
                    + " available to " + run.getExternalizableId());
        }
        CredentialsProvider.track(run, credential);
        return credential;
    }

    private static VmSpec spec(VmRequest request, SshPublicKey key, String adminUsername) throws AbortException {
        VmSpec.Builder builder = VmSpec.builder().name(request.name).resourceGroup(request.resourceGroup)
                .region(request.location).image(request.image).size(request.size).adminUsername(adminUsername)
                .sshKeys(key).sshKeys(additionalKeys(request.additionalPublicKeys)).sshSource(request.sshSource)
                .publicIp(request.publicIp).ownerId(request.ownerId).jit(request.jit);
        if (request.preseedHostKeys) {
            builder.preseededHostKeys(PreseededHostKeys.generate(new SshKeyGenerator()));
        }
        request.tags().forEach(builder::tag);
        try {
            return builder.build();
        } catch (InvalidVmSpecException e) {
            throw new AbortException("invalid VM parameters: " + e.getMessage());
        }
    }

    private static List<SshPublicKey> additionalKeys(String text) throws AbortException {
        List<SshPublicKey> keys = new ArrayList<>();
        if (text == null) {
            return keys;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                try {
                    keys.add(SshPublicKey.parse(line));
                } catch (KeyFormatException e) {
                    throw new AbortException("additionalPublicKeys line " + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        return keys;
    }
}
