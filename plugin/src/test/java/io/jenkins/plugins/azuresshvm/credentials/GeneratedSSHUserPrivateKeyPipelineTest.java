package io.jenkins.plugins.azuresshvm.credentials;

import static io.jenkins.plugins.azuresshvm.credentials.StoredKeys.keyText;
import static io.jenkins.plugins.azuresshvm.credentials.StoredKeys.stored;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A generated credential is an ordinary {@code SSHUserPrivateKey} to Pipeline: the real {@code ssh-keygen} and {@code
 * ssh-agent} on the agent read the key that {@code withCredentials} and {@code sshagent} hand them.
 */
@WithJenkins
class GeneratedSSHUserPrivateKeyPipelineTest {
    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
    }

    @Test
    void withCredentialsSshUserPrivateKeyHandsOverTheKeyAndPassphrase() throws Exception {
        OpenSsh.sshKeygen();
        GeneratedSSHUserPrivateKeyImpl credential = add(GeneratedKeyType.RSA_2048, "a passphrase of some length");
        WorkflowJob job = j.createProject(WorkflowJob.class, "uses-key");
        job.setDefinition(new CpsFlowDefinition("""
                node {
                  withCredentials([sshUserPrivateKey(credentialsId: 'vm-key', keyFileVariable: 'KEY',
                                                     passphraseVariable: 'PASS', usernameVariable: 'USER')]) {
                    sh 'ssh-keygen -y -P "$PASS" -f "$KEY" > derived.pub'
                  }
                  echo "derived: ${readFile('derived.pub').trim()}"
                }
                """, true));

        WorkflowRun run = j.buildAndAssertSuccess(job);

        j.assertLogContains("derived: " + keyText(credential.getPublicKeyLine()), run);
        j.assertLogNotContains("a passphrase of some length", run);
        j.assertLogNotContains("PRIVATE KEY", run);
    }

    @Test
    void sshagentLoadsTheKey() throws Exception {
        OpenSsh.sshAgent();
        GeneratedSSHUserPrivateKeyImpl credential = add(GeneratedKeyType.ED25519, null);
        WorkflowJob job = j.createProject(WorkflowJob.class, "agent");
        job.setDefinition(new CpsFlowDefinition("""
                node {
                  sshagent(['vm-key']) {
                    sh 'ssh-add -L > agent.pub'
                  }
                  echo "agent: ${readFile('agent.pub').trim()}"
                }
                """, true));

        WorkflowRun run = j.buildAndAssertSuccess(job);

        j.assertLogContains("agent: " + keyText(credential.getPublicKeyLine()), run);
    }

    private static GeneratedSSHUserPrivateKeyImpl add(GeneratedKeyType type, String passphrase) throws Exception {
        GeneratedSSHUserPrivateKeyImpl credential =
                new GeneratedSSHUserPrivateKeyImpl(CredentialsScope.GLOBAL, "vm-key", null, "azureuser", type);
        if (passphrase != null) {
            credential.setPassphrase(Secret.fromString(passphrase));
        }
        credential.keepOrGenerateKey();
        SystemCredentialsProvider.getInstance().getCredentials().add(credential);
        SystemCredentialsProvider.getInstance().save();
        return stored("vm-key");
    }
}
