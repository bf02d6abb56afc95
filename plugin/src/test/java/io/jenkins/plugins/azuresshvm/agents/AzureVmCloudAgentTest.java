package io.jenkins.plugins.azuresshvm.agents;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Computer;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Node;
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner;
import hudson.tasks.Shell;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.connector.EmulatedAzure;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.OperationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * The cloud against the ARM emulator (VMs are real sshd processes): it provisions an agent VM with a key generated
 * on demand, the agent connects verified against the keys learned at provisioning (no second run-command), a build
 * runs on it, and once idle the VM and everything created with it are deleted; a VM whose SSH server presents
 * another key is refused and its node stays offline with both fingerprints in its log. Azure is reached through
 * {@link EmulatorConnector}.
 */
@WithJenkins
class AzureVmCloudAgentTest {
    private static final String GROUP = "cloud-agents-rg";
    private static final String LABEL = "emulated";

    @BeforeAll
    static void startEmulator() throws Exception {
        EmulatedAzure.startOrSkip();
    }

    @AfterAll
    static void stopEmulator() {
        EmulatedAzure.stop();
    }

    @BeforeEach
    void resourceGroup() {
        AzureAccess azure = EmulatedAzure.access();
        if (!azure.resources().resourceGroups().contain(GROUP)) {
            azure.resources().resourceGroups().define(GROUP).withRegion("westeurope").create();
        }
    }

    @Test
    void provisionsAVerifiedAgentRunsABuildAndDeletesTheVmOnceIdle(JenkinsRule r) throws Exception {
        AzureVmCloud cloud = cloud(r, 1);

        AzureVmAgent agent = provisionOne(r, cloud);
        String vmName = agent.getNodeName();
        r.waitOnline(agent);

        assertThat(vmName).matches("emulated-cloud-[a-z0-9]{6}");
        SSHLauncher launcher = (SSHLauncher) agent.getLauncher();
        assertThat(launcher.getSshHostKeyVerificationStrategy())
                .isInstanceOf(ProvisionedHostKeyVerificationStrategy.class);
        assertThat(launcher.getLaunchTimeoutSeconds()).isEqualTo(AgentLaunch.SSH_TIMEOUT_SECONDS);
        assertThat(agent.toComputer().getLog()).contains("Verifying against", "host key of VM " + vmName
                + " verified", "from run-command on VM " + vmName).doesNotContain("Resolving the host keys");
        assertThat(resourcesOf(vmName)).hasSize(6);

        FreeStyleProject project = r.createFreeStyleProject();
        project.setAssignedLabel(Label.get(LABEL));
        project.getBuildersList().add(new Shell("echo built on $NODE_NAME"));
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        assertThat(build.getBuiltOn()).isSameAs(agent);
        r.assertLogContains("built on " + vmName, build);

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while ((r.jenkins.getNode(vmName) != null || !resourcesOf(vmName).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
        }
        assertThat(r.jenkins.getNode(vmName)).as("the idle agent's node").isNull();
        assertThat(resourcesOf(vmName)).as("what was created with the VM").isEmpty();
    }

    @Test
    void aVmPresentingAnotherHostKeyIsRefusedAndItsNodeStaysOffline(JenkinsRule r) throws Exception {
        AzureVmCloud cloud = cloud(r, 10);
        Collection<NodeProvisioner.PlannedNode> planned = cloud.provision(
                new Cloud.CloudState(Label.get(LABEL), 0), 1);
        AzureVmAgent agent = (AzureVmAgent) planned.iterator().next().future.get(3, TimeUnit.MINUTES);
        try {
            EmulatedAzure.arm().attack(agent.getNodeName(), Attack.foreignHostKeys());
            r.jenkins.addNode(agent);
            try {
                agent.toComputer().connect(false).get(3, TimeUnit.MINUTES);
            } catch (ExecutionException refused) {
                // the launch fails: that is the point
            }

            Computer computer = agent.toComputer();
            assertThat(computer.isOffline()).isTrue();
            assertThat(computer.getLog()).contains("REFUSED: host key of VM " + agent.getNodeName()
                    + " does not match", "expected", "presented", "SHA256:", "man-in-the-middle");
        } finally {
            r.jenkins.removeNode(agent);
            new AzureVmProvisioner(EmulatedAzure.access()).delete(agent.provisionedVm(), Duration.ofMinutes(1));
        }
    }

    @Test
    void preSeededKeysThatRunCommandCannotConfirmRefuseTheAgentAndDeleteItsVm(JenkinsRule r) throws Exception {
        AzureVmCloud cloud = cloud(r, 10);
        cloud.getTemplates().get(0).setPreseedHostKeys(true);
        EmulatedAzure.arm().inject(Fault.failedOperation(OperationKind.RUN_COMMAND, 1, "InternalExecutionError",
                "the cross-check's run-command failed"));
        NodeProvisioner.PlannedNode planned = cloud.provision(new Cloud.CloudState(Label.get(LABEL), 0), 1)
                .iterator().next();
        String vmName = planned.displayName;
        boolean agentMade;
        try {
            Node node = planned.future.get(3, TimeUnit.MINUTES);
            // the launch ended before the cross-check failed: the node NodeProvisioner adds is refused and removed
            r.jenkins.addNode(node);
            agentMade = true;
        } catch (ExecutionException noAgent) {
            // the cross-check failed before the launch ended: no agent at all
            assertThat(noAgent.getCause()).hasMessageContaining(vmName);
            agentMade = false;
        }

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while ((r.jenkins.getNode(vmName) != null || !resourcesOf(vmName).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
        }
        assertThat(r.jenkins.getNode(vmName)).as("the refused agent's node").isNull();
        assertThat(resourcesOf(vmName)).as("what was created with the VM").isEmpty();
        if (agentMade) {
            assertThat(RefusedVms.reason(vmName)).contains("REFUSED: run-command did not confirm the host keys"
                    + " pre-seeded in VM " + vmName);
        }
    }

    private static AzureVmCloud cloud(JenkinsRule r, int idleMinutes) throws Exception {
        AzureVmAgentTemplate template = new AzureVmAgentTemplate(LABEL, "westeurope", GROUP, "127.0.0.1/32");
        template.setAdminUsername("ci");
        template.setIdleMinutes(idleMinutes);
        template.setInstanceCap(1);
        template.setJavaPath(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        template.setRemoteFs(Files.createTempDirectory("cloud-agent-").toString());
        AzureVmCloud cloud = new AzureVmCloud("emulated-cloud", "azure", List.of(template));
        r.jenkins.clouds.add(cloud);
        return cloud;
    }

    /** One agent made by the cloud as the NodeProvisioner would, and added to Jenkins. */
    private static AzureVmAgent provisionOne(JenkinsRule r, AzureVmCloud cloud) throws Exception {
        List<NodeProvisioner.PlannedNode> planned = new ArrayList<>(cloud.provision(
                new Cloud.CloudState(Label.get(LABEL), 0), 3));
        assertThat(planned).as("the instance cap is 1").hasSize(1);
        Node node = planned.get(0).future.get(3, TimeUnit.MINUTES);
        r.jenkins.addNode(node);
        return (AzureVmAgent) node;
    }

    private static List<LiveResource> resourcesOf(String vmName) {
        return EmulatedAzure.arm().inventory().stream()
                .filter(resource -> resource.id().matches(".*/" + vmName + "(-[a-z]+)?")).toList();
    }

    /** Reaches the emulator for any credential id. */
    @TestExtension
    public static final class EmulatorConnector extends EmulatedAzure.Connector {}
}
