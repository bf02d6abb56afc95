package io.jenkins.plugins.azuresshvm.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.connector.EmulatedAzure;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * SSH build agents on emulator VMs (real sshd) launched by {@link SSHLauncher} with the strategy: the agent comes
 * online and its keys are pinned to the VM's {@code vmId}; a VM re-created under the same name is probed and pinned
 * anew; a man in the middle is refused, the node stays offline and its log names both fingerprints; without a VM
 * name the VM holding the agent's address is used, and an address no VM holds is refused. Azure is reached
 * through {@link EmulatorConnector}; the emulator's CA is trusted through the JVM's default trust store.
 */
@WithJenkins
class AzureRunCommandAgentTest {
    private static final String GROUP = "agents-rg";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static ArmEmulator arm;
    private static SshKeyPair key;

    @BeforeAll
    static void startEmulator() throws Exception {
        arm = EmulatedAzure.startOrSkip();
        key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "jenkins-agent-test");
    }

    @AfterAll
    static void stopEmulator() {
        EmulatedAzure.stop();
    }

    @BeforeEach
    void credentialsAndResourceGroup(JenkinsRule r) throws Exception {
        String pem = new PrivateKeyEncoder().encode(key, PrivateKeyFormat.defaultFor(key.type()), null);
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.SYSTEM, "vm-key", "ci", new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(pem),
                null, "agent key"));
        SystemCredentialsProvider.getInstance().save();
        AzureAccess azure = EmulatorConnector.access();
        if (!azure.resources().resourceGroups().contain(GROUP)) {
            azure.resources().resourceGroups().define(GROUP).withRegion("westeurope").create();
        }
    }

    @Test
    void theAgentConnectsPinsTheKeysAndIsPinnedAnewWhenTheVmIsRecreated(JenkinsRule r) throws Exception {
        VerifiedVm vm = createVm("agent-vm");
        DumbSlave node = agent(r, "agent", vm);

        r.waitOnline(node);

        String log = node.toComputer().getLog();
        assertThat(log).contains("Resolving the host keys of VM agent-vm", "Learned via run-command",
                "host key of VM agent-vm verified", "SHA256:", "pinned to vmId " + vm.vm().vmId());
        assertThat(pin(r, node)).startsWith("vmId " + vm.vm().vmId() + "\n");

        node.toComputer().disconnect(null).get(1, TimeUnit.MINUTES);
        provisioner().delete(vm.vm(), TIMEOUT);
        VerifiedVm recreated = createVm("agent-vm");
        try {
            node.toComputer().connect(true).get(2, TimeUnit.MINUTES);

            assertThat(node.toComputer().isOnline()).isTrue();
            assertThat(pin(r, node)).startsWith("vmId " + recreated.vm().vmId() + "\n");
        } finally {
            node.toComputer().disconnect(null).get(1, TimeUnit.MINUTES);
            provisioner().delete(recreated.vm(), TIMEOUT);
        }
    }

    @Test
    void aManInTheMiddleIsRefusedTheNodeStaysOfflineAndTheLogNamesBothFingerprints(JenkinsRule r)
            throws Exception {
        VerifiedVm vm = createVm("agent-mitm-vm");
        try {
            arm.attack("agent-mitm-vm", Attack.foreignHostKeys());
            DumbSlave node = agent(r, "mitm-agent", vm);
            try {
                node.toComputer().connect(false).get(2, TimeUnit.MINUTES);
            } catch (ExecutionException refused) {
                // the launch fails: that is the point
            }

            Computer computer = node.toComputer();
            assertThat(computer.isOffline()).isTrue();
            assertThat(computer.getLog()).contains("REFUSED: host key of VM agent-mitm-vm does not match",
                    "expected", "from run-command on VM agent-mitm-vm", "presented", "SHA256:",
                    "man-in-the-middle");
            assertThat(new File(new File(r.jenkins.getRootDir(), "nodes/mitm-agent"), NodePinFile.FILE_NAME))
                    .doesNotExist();
        } finally {
            provisioner().delete(vm.vm(), TIMEOUT);
        }
    }

    @Test
    void withoutAVmNameTheVmHoldingTheAgentsAddressIsVerifiedAndAnAddressNoVmHoldsIsRefused(JenkinsRule r)
            throws Exception {
        VerifiedVm vm = createVm("agent-by-address");
        try {
            DumbSlave node = agent(r, "by-address", vm.vm().host(), vm.vm().sshPort(),
                    new AzureRunCommandHostKeyVerificationStrategy("azure", null, null));

            r.waitOnline(node);

            assertThat(node.toComputer().getLog()).contains("Finding the VM with address " + vm.vm().host()
                    + " in the subscription", "Address " + vm.vm().host() + " belongs to VM agent-by-address"
                    + " (resource group " + GROUP + ")", "host key of VM agent-by-address verified",
                    "pinned to vmId " + vm.vm().vmId());
            node.toComputer().disconnect(null).get(1, TimeUnit.MINUTES);

            DumbSlave stranger = agent(r, "no-vm", "10.99.99.99", 22,
                    new AzureRunCommandHostKeyVerificationStrategy("azure", GROUP, null));
            try {
                stranger.toComputer().connect(false).get(2, TimeUnit.MINUTES);
            } catch (ExecutionException refused) {
                // the launch fails: that is the point
            }
            assertThat(stranger.toComputer().isOffline()).isTrue();
            assertThat(stranger.toComputer().getLog()).contains(
                    "no VM in resource group " + GROUP + " has the address 10.99.99.99", "not connecting");
        } finally {
            provisioner().delete(vm.vm(), TIMEOUT);
        }
    }

    private static DumbSlave agent(JenkinsRule r, String name, VerifiedVm vm) throws Exception {
        return agent(r, name, vm.vm().host(), vm.vm().sshPort(),
                new AzureRunCommandHostKeyVerificationStrategy("azure", GROUP, vm.vm().name()));
    }

    private static DumbSlave agent(JenkinsRule r, String name, String host, int port,
            AzureRunCommandHostKeyVerificationStrategy strategy) throws Exception {
        SSHLauncher launcher = new SSHLauncher(host, port, "vm-key");
        launcher.setLaunchTimeoutSeconds(60);
        launcher.setMaxNumRetries(0);
        launcher.setRetryWaitTime(0);
        launcher.setJavaPath(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        launcher.setSshHostKeyVerificationStrategy(strategy);
        DumbSlave node = new DumbSlave(name, Files.createTempDirectory("agent-").toString(), launcher);
        r.jenkins.addNode(node);
        return node;
    }

    private static String pin(JenkinsRule r, Node node) throws Exception {
        return Files.readString(new File(new File(new File(r.jenkins.getRootDir(), "nodes"), node.getNodeName()),
                NodePinFile.FILE_NAME).toPath(), StandardCharsets.UTF_8);
    }

    private static VerifiedVm createVm(String name) throws Exception {
        AzureAccess azure = EmulatorConnector.access();
        return new VerifiedVmLauncher(provisioner(), new RunCommandHostKeyProbe(new RunCommand(azure)))
                .launch(VmSpec.builder().name(name).resourceGroup(GROUP).region("westeurope").adminUsername("ci")
                        .sshKeys(List.of(key.publicKey())).sshSource("127.0.0.1/32").ownerId("agent-test").build(),
                        TIMEOUT, step -> {});
    }

    private static AzureVmProvisioner provisioner() {
        return new AzureVmProvisioner(EmulatorConnector.access(), Duration.ofMillis(100), Clock.systemUTC());
    }

    /** Reaches the emulator for any credential id. */
    @TestExtension
    public static final class EmulatorConnector extends EmulatedAzure.Connector {
        static AzureAccess access() {
            return EmulatedAzure.access();
        }
    }
}
