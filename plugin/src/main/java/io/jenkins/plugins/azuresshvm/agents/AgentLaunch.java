package io.jenkins.plugins.azuresshvm.agents;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.AbortException;
import hudson.model.Computer;
import hudson.model.Descriptor;
import hudson.model.Node;
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.slaves.OfflineCause;
import hudson.slaves.SlaveComputer;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.HeldHostKeys;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.cloud.AgentInitScript;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.credentials.CredentialKeyPair;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.NonLocalizable;

/**
 * Makes one agent of a cloud, on a Jenkins thread: its VM through core's {@link VerifiedVmLauncher} (which deletes
 * what it created when anything fails), then the node, whose {@link SSHLauncher} verifies the VM's SSH server against
 * the host keys just learned, so the first connection is the verified one and needs no second run-command. With
 * pre-seeded host keys, a failed run-command cross-check refuses the agent at once (its connection closed, no new
 * one accepted, the node removed; core deletes the VM).
 */
final class AgentLaunch implements Callable<Node> {
    private static final Logger LOGGER = Logger.getLogger(AgentLaunch.class.getName());
    /** Provisioning and learning the host keys, at most. */
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(20);
    /** The SSH connection and key exchange of each launch attempt. */
    static final int SSH_TIMEOUT_SECONDS = 120;

    private final AzureVmCloud cloud;
    private final AzureVmAgentTemplate template;
    private final String vmName;

    AgentLaunch(AzureVmCloud cloud, AzureVmAgentTemplate template, String vmName) {
        this.cloud = cloud;
        this.template = template;
        this.vmName = vmName;
    }

    @Override
    public Node call() throws IOException, Descriptor.FormException {
        String what = "cloud " + cloud.name + ", agent VM " + vmName;
        String credentialsId = template.sshCredentialsId(cloud.name);
        SSHUserPrivateKey credential = template.sshCredentials(credentialsId);
        VmSpec spec = template.spec().vmSpec(vmName, cloud.ownerId(),
                CredentialKeyPair.decode(credentialsId, credential).publicKey(), Runtime.version().feature(),
                new SshKeyGenerator());
        AzureAccess azure = AzureConnector.get().connect(cloud.getAzureCredentialsId(), Jenkins.get());
        AzureVmProvisioner provisioner = new AzureVmProvisioner(azure);
        VerifiedVm verified;
        try {
            verified = new VerifiedVmLauncher(provisioner, new RunCommandHostKeyProbe(new RunCommand(azure)))
                    .launch(spec, LAUNCH_TIMEOUT, step -> LOGGER.log(Level.INFO, "{0}: {1}", new Object[] {what,
                            step == VerifiedVmLauncher.Step.PROVISION ? "creating the VM" : spec.preseededHostKeys()
                                    != null ? "waiting for SSH (host keys pre-seeded)" : "learning its host keys"}));
        } catch (HostKeyProbeException | AzureVmException e) {
            throw new AbortException(what + ": " + e.getMessage() + " (what was created is deleted)");
        }
        try {
            HeldHostKeys held = HeldHostKeys.of(vmName, verified.hostKeys());
            LOGGER.log(Level.INFO, "{0}: host keys {1}", new Object[] {what, held.keys()});
            SSHLauncher launcher = new SSHLauncher(verified.vm().host(), verified.vm().sshPort(), credentialsId);
            launcher.setJavaPath(template.getJavaPath());
            launcher.setPrefixStartSlaveCmd(AgentInitScript.launchPrefix());
            launcher.setLaunchTimeoutSeconds(SSH_TIMEOUT_SECONDS);
            launcher.setMaxNumRetries(3);
            launcher.setRetryWaitTime(15);
            launcher.setSshHostKeyVerificationStrategy(new ProvisionedHostKeyVerificationStrategy(held.toText()));
            AzureVmAgent agent = new AzureVmAgent(verified.vm(), cloud.name, cloud.getAzureCredentialsId(), template,
                    launcher);
            verified.crossCheck().onFailure(failure -> refuse(agent, failure));
            if (verified.crossCheck().failed()) {
                throw new AbortException(what + ": run-command did not confirm the pre-seeded host keys (the VM is"
                        + " deleted); no agent");
            }
            return agent;
        } catch (IOException | Descriptor.FormException | RuntimeException e) {
            try {
                provisioner.delete(verified.vm(), AzureVmAgent.DELETE_TIMEOUT);
            } catch (AzureVmException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            throw e;
        }
    }

    /**
     * Refuses, at once, an agent whose pre-seeded host keys run-command did not confirm: its strategy refuses every
     * connection from now on, an open connection is closed, and the node is removed (now, or as soon as it appears).
     * Core deletes the VM meanwhile.
     */
    private static void refuse(AzureVmAgent agent, Throwable failure) {
        String message = AzureHostKeyVerificationStrategy.PREFIX + "REFUSED: run-command did not confirm the host"
                + " keys pre-seeded in VM " + agent.getNodeName() + ": " + failure.getMessage()
                + ". Treat it as an attack: the connection is closed, the VM deleted and the agent removed.";
        RefusedVms.refuse(agent.getNodeName(), message);
        LOGGER.log(Level.WARNING, message);
        if (agent.toComputer() instanceof SlaveComputer computer) {
            computer.getListener().error(message);
            computer.disconnect(OfflineCause.create(new NonLocalizable(message)));
        }
        if (Jenkins.get().getNode(agent.getNodeName()) != null) {
            RefusedVms.remove(agent);
        }
    }
}
