package io.jenkins.plugins.azuresshvm.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.misc.junit.jupiter.AbstractRoundTripTest;
import java.util.List;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Configuration as Code round trip of the cloud (declared, checked and applied through the web UI, written to
 * {@code jenkins.yaml}, Jenkins restarted): every field of each template that makes an agent's launcher — SSH
 * credential, Java path, init script, remote root, admin user — is back, and defaults fill what the YAML leaves out.
 */
class AzureVmCloudCascRoundTripTest extends AbstractRoundTripTest {

    @Override
    protected String configResource() {
        return "azure-vm-cloud.yaml";
    }

    @Override
    protected String stringInLogExpected() {
        return "/usr/lib/jvm/java-21-openjdk-amd64/bin/java";
    }

    @Override
    protected void assertConfiguredAsExpected(JenkinsRule j, String configContent) {
        AzureVmCloud cloud = (AzureVmCloud) j.jenkins.getCloud("azure-agents");
        assertThat(cloud.getAzureCredentialsId()).isEqualTo("azure");
        List<AzureVmAgentTemplate> templates = cloud.getTemplates();
        assertThat(templates).hasSize(2);

        AzureVmAgentTemplate full = templates.get(0);
        assertThat(full.getLabels()).isEqualTo("linux azure");
        assertThat(full.getRegion()).isEqualTo("westeurope");
        assertThat(full.getResourceGroup()).isEqualTo("ci-agents");
        assertThat(full.getSshSource()).isEqualTo("203.0.113.7/32");
        assertThat(full.getSshCredentialsId()).isEqualTo("agent-key");
        assertThat(full.getImage()).isEqualTo("Canonical:ubuntu-24_04-lts:server:latest");
        assertThat(full.getSize()).isEqualTo("Standard_D2s_v5");
        assertThat(full.getAdminUsername()).isEqualTo("builder");
        assertThat(full.getNumExecutors()).isEqualTo(2);
        assertThat(full.getInstanceCap()).isEqualTo(5);
        assertThat(full.getIdleMinutes()).isEqualTo(15);
        assertThat(full.getInitScript()).isEqualTo("#!/bin/sh\napt-get install -y -q openjdk-21-jre-headless git\n");
        assertThat(full.getJavaPath()).isEqualTo("/usr/lib/jvm/java-21-openjdk-amd64/bin/java");
        assertThat(full.effectiveRemoteFs()).isEqualTo("/home/builder/agent");
        assertThat(full.isJit()).isTrue();
        assertThat(full.isPreseedHostKeys()).isTrue();
        assertThat(full.spec().labels()).isEqualTo("linux azure");

        AzureVmAgentTemplate defaults = templates.get(1);
        assertThat(defaults.getSshCredentialsId()).isNull();
        assertThat(defaults.getImage()).isEqualTo("Ubuntu2404");
        assertThat(defaults.getSize()).isEqualTo("Standard_B2s");
        assertThat(defaults.getAdminUsername()).isEqualTo("jenkins");
        assertThat(defaults.getNumExecutors()).isEqualTo(1);
        assertThat(defaults.getInstanceCap()).isEqualTo(10);
        assertThat(defaults.getIdleMinutes()).isEqualTo(10);
        assertThat(defaults.getInitScript()).isNull();
        assertThat(defaults.getJavaPath()).isEqualTo("java");
        assertThat(defaults.effectiveRemoteFs()).isEqualTo("/home/jenkins/jenkins-agent");
        assertThat(defaults.isJit()).isFalse();
        assertThat(defaults.isPreseedHostKeys()).isFalse();
    }
}
