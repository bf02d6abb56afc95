package io.jenkins.plugins.azuresshvm.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.connector.EmulatedAzure;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps in real Pipelines against the ARM emulator, whose VMs are real sshd: {@code ssh} with strict host key
 * checking works in the body, the VM is gone afterwards, and a man in the middle fails the step naming both
 * fingerprints and leaving nothing. Azure is reached through {@link EmulatorConnector}, over the azure-sdk plugin's
 * Netty client, which trusts the emulator's CA through the JVM's default trust store, set before Jenkins starts.
 */
@WithJenkins
class AzureSshVmPipelineTest {
    private static final String GROUP = "ci-rg";
    private static ArmEmulator arm;

    @BeforeAll
    static void startEmulator() throws Exception {
        arm = EmulatedAzure.startOrSkip();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "OpenSSH client (/usr/bin/ssh) is not installed");
    }

    @AfterAll
    static void stopEmulator() {
        EmulatedAzure.stop();
    }

    @BeforeEach
    void credentialsAndResourceGroup(JenkinsRule r) throws Exception {
        SshKeyPair key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "jenkins-test");
        String pem = new PrivateKeyEncoder().encode(key, PrivateKeyFormat.defaultFor(key.type()), null);
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.GLOBAL, "vm-key", "ci", new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(pem),
                null, "test key"));
        SystemCredentialsProvider.getInstance().save();
        AzureAccess azure = EmulatedAzure.access();
        if (!azure.resources().resourceGroups().contain(GROUP)) {
            azure.resources().resourceGroups().define(GROUP).withRegion("westeurope").create();
        }
    }

    @Test
    void bodySshesWithStrictHostKeyCheckingAndTheVmIsDeletedAfterwards(JenkinsRule r) throws Exception {
        WorkflowRun run = build(r, """
                node {
                  azureSshVm(azureCredentialsId: 'azure', sshCredentialsId: 'vm-key', resourceGroup: '%s',
                             location: 'westeurope', sshSource: '127.0.0.1/32', name: 'body-vm') {
                    withCredentials([sshUserPrivateKey(credentialsId: 'vm-key', keyFileVariable: 'KEY')]) {
                      sh 'ssh -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes $AZURE_VM_SSH_OPTS $AZURE_VM_USER@$AZURE_VM_HOST echo "on $(hostname) as $(id -un)"'
                      sh 'test "$AZURE_VM_NAME" = body-vm && test "$AZURE_VM_USER" = ci && grep -c . "$AZURE_VM_KNOWN_HOSTS"'
                    }
                  }
                }
                """.formatted(GROUP));

        r.assertBuildStatusSuccess(run);
        String log = JenkinsRule.getLog(run);
        assertThat(log).contains("[azureSshVm] Creating VM body-vm", "via run-command", "Host keys of VM body-vm",
                "SHA256:", "on body-vm as ci", "[azureSshVm] Deleting VM body-vm").containsPattern("done in \\d+\\.\\d s")
                .doesNotContain("PRIVATE KEY");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void manInTheMiddleFailsTheStepNamingBothFingerprintsAndLeavesNothing(JenkinsRule r) throws Exception {
        CompletableFuture<Void> attack = attackOnceCreated("mitm-vm", Attack.foreignHostKeys());
        WorkflowRun run = build(r, """
                node {
                  azureSshVm(azureCredentialsId: 'azure', sshCredentialsId: 'vm-key', resourceGroup: '%s',
                             location: 'westeurope', sshSource: '127.0.0.1/32', name: 'mitm-vm') {
                    echo 'BODY RAN'
                  }
                }
                """.formatted(GROUP));
        attack.get(1, TimeUnit.MINUTES);

        r.assertBuildStatus(Result.FAILURE, run);
        assertThat(JenkinsRule.getLog(run)).contains("refusing VM mitm-vm", "does not match", "expected",
                "from run-command on VM mitm-vm", "presented", "SHA256:", "Deleting VM mitm-vm")
                .doesNotContain("BODY RAN");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void preseededHostKeysVerifyTheFirstLoginAndRunCommandConfirmsThemBeforeTheStepSucceeds(JenkinsRule r)
            throws Exception {
        WorkflowRun run = build(r, """
                node {
                  azureSshVm(azureCredentialsId: 'azure', sshCredentialsId: 'vm-key', resourceGroup: '%s',
                             location: 'westeurope', sshSource: '127.0.0.1/32', name: 'seeded-vm',
                             preseedHostKeys: true) {
                    withCredentials([sshUserPrivateKey(credentialsId: 'vm-key', keyFileVariable: 'KEY')]) {
                      sh 'ssh -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes $AZURE_VM_SSH_OPTS $AZURE_VM_USER@$AZURE_VM_HOST echo "on $(hostname)"'
                    }
                  }
                }
                """.formatted(GROUP));

        r.assertBuildStatusSuccess(run);
        assertThat(JenkinsRule.getLog(run)).contains("host keys pre-seeded",
                "verified against the host keys pre-seeded in VM seeded-vm's customData", "on seeded-vm",
                "run-command confirmed the pre-seeded host keys of VM seeded-vm", "[azureSshVm] Deleting VM seeded-vm")
                .doesNotContain("PRIVATE KEY", "Learning its SSH host keys via run-command");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void runCommandDisagreeingWithPreseededHostKeysFailsTheStepAndLeavesNothing(JenkinsRule r) throws Exception {
        CompletableFuture<Void> attack = attackOnceCreated("seeded-mitm-vm",
                Attack.RunCommandFault.FOREIGN_ED25519_KEY);
        WorkflowRun run = build(r, """
                node {
                  azureSshVm(azureCredentialsId: 'azure', sshCredentialsId: 'vm-key', resourceGroup: '%s',
                             location: 'westeurope', sshSource: '127.0.0.1/32', name: 'seeded-mitm-vm',
                             preseedHostKeys: true) {
                    sleep 120
                    echo 'BODY FINISHED'
                  }
                }
                """.formatted(GROUP));
        attack.get(1, TimeUnit.MINUTES);

        r.assertBuildStatus(Result.FAILURE, run);
        assertThat(JenkinsRule.getLog(run)).contains("refusing VM seeded-mitm-vm",
                "the run-command cross-check of its pre-seeded host keys failed",
                "run-command on VM seeded-mitm-vm reports host keys", "not those pre-seeded in its customData",
                "Deleting VM seeded-mitm-vm").doesNotContain("BODY FINISHED");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void createHostKeysAndDeleteStepsWorkTogether(JenkinsRule r) throws Exception {
        WorkflowRun run = build(r, """
                def vm = azureSshVmCreate(azureCredentialsId: 'azure', sshCredentialsId: 'vm-key',
                        resourceGroup: '%s', location: 'westeurope', sshSource: '127.0.0.1/32', name: 'kept-vm')
                def keys = azureSshVmHostKeys(azureCredentialsId: 'azure', resourceGroup: '%1$s', name: vm.name)
                if (keys.fingerprints != vm.fingerprints || keys.knownHosts != vm.knownHosts) {
                  error "host keys differ: ${keys} vs ${vm}"
                }
                echo "user=${vm.user} host=${vm.host} keys=${vm.knownHosts.size()}"
                echo "deleted=${azureSshVmDelete(azureCredentialsId: 'azure', resourceGroup: '%1$s', name: vm.name)}"
                echo "again=${azureSshVmDelete(azureCredentialsId: 'azure', resourceGroup: '%1$s', name: vm.name)}"
                """.formatted(GROUP));

        r.assertBuildStatusSuccess(run);
        assertThat(JenkinsRule.getLog(run)).contains("user=ci host=127.", "deleted=true", "again=false");
        assertThat(leftovers()).isEmpty();
    }

    private static WorkflowRun build(JenkinsRule r, String script) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.waitForCompletion(job.scheduleBuild2(0).waitForStart());
    }

    /** Stages {@code attack} on VM {@code vmName} as soon as it exists (within two minutes). */
    private static CompletableFuture<Void> attackOnceCreated(String vmName, Attack attack) {
        return CompletableFuture.runAsync(() -> {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < end) {
                try {
                    arm.attack(vmName, attack);
                    return;
                } catch (Exception notRunningYet) {
                    Thread.onSpinWait();
                }
            }
        });
    }

    /** Every live resource other than resource groups. */
    private static List<LiveResource> leftovers() {
        return arm.inventory().stream()
                .filter(resource -> !resource.type().equalsIgnoreCase("Microsoft.Resources/resourceGroups"))
                .toList();
    }

    /** Reaches the emulator for any credential id. */
    @TestExtension
    public static final class EmulatorConnector extends EmulatedAzure.Connector {}
}
