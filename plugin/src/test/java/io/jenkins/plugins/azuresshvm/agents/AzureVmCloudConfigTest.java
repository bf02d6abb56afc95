package io.jenkins.plugins.azuresshvm.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.AbortException;
import hudson.model.Label;
import hudson.slaves.Cloud;
import hudson.util.FormValidation;
import io.jenkins.plugins.azuresshvm.credentials.GeneratedKeyType;
import io.jenkins.plugins.azuresshvm.credentials.GeneratedSSHUserPrivateKeyImpl;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.yaml.YamlSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cloud's configuration: the form keeps every template field, a Configuration as Code export imports back to
 * the same cloud, the forms name the field at fault, templates serve only their labels, and a template without SSH
 * credentials gets a generated key at Jenkins level once.
 */
@WithJenkinsConfiguredWithCode
class AzureVmCloudConfigTest {

    @Test
    @ConfiguredWithCode("azure-vm-cloud.yaml")
    void theFormKeepsTheCloudAndEveryTemplateField(JenkinsConfiguredWithCodeRule j) throws Exception {
        AzureVmCloud before = (AzureVmCloud) j.jenkins.getCloud("azure-agents");

        j.submit(j.createWebClient().goTo("cloud/azure-agents/configure").getFormByName("config"));

        AzureVmCloud after = (AzureVmCloud) j.jenkins.getCloud("azure-agents");
        assertThat(after).isNotSameAs(before);
        j.assertEqualDataBoundBeans(before, after);
        assertThat(after.getTemplates().get(0).getInitScript()).isEqualTo(before.getTemplates().get(0).getInitScript());
    }

    @Test
    @ConfiguredWithCode("azure-vm-cloud.yaml")
    void anExportImportsBackToTheSameCloud(JenkinsConfiguredWithCodeRule j) throws Exception {
        AzureVmCloud before = (AzureVmCloud) j.jenkins.getCloud("azure-agents");
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode clouds = Util.getJenkinsRoot(context).get("clouds");
        String exported = Util.toYamlString(clouds);
        assertThat(exported).contains("azureSshVmCloud:", "templates:", "initScript:")
                .containsPattern("sshCredentialsId: \"?agent-key")
                .containsPattern("javaPath: \"?/usr/lib/jvm/java-21-openjdk-amd64/bin/java")
                .containsPattern("remoteFs: \"?/home/builder/agent").containsPattern("preseedHostKeys: \"?true");

        j.jenkins.clouds.clear();
        String yaml = "jenkins:\n  clouds:\n" + exported.lines().map(line -> "  " + line)
                .reduce("", (all, line) -> all + line + "\n");
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));

        j.assertEqualDataBoundBeans(before, j.jenkins.getCloud("azure-agents"));
    }

    @Test
    @ConfiguredWithCode("azure-vm-cloud.yaml")
    void templatesServeOnlyTheirLabels(JenkinsConfiguredWithCodeRule j) {
        Cloud cloud = j.jenkins.getCloud("azure-agents");

        assertThat(cloud.canProvision(new Cloud.CloudState(Label.parseExpression("linux && azure"), 0))).isTrue();
        assertThat(cloud.canProvision(new Cloud.CloudState(Label.parseExpression("small"), 0))).isTrue();
        assertThat(cloud.canProvision(new Cloud.CloudState(Label.parseExpression("windows"), 0))).isFalse();
        assertThat(cloud.canProvision(new Cloud.CloudState(null, 0))).as("a job without a label").isFalse();
        assertThat(((AzureVmCloud) cloud).ownerId()).startsWith("jenkins:").endsWith("/cloud:azure-agents");
    }

    @Test
    void theTemplateFormNamesTheFieldAtFault(JenkinsConfiguredWithCodeRule j) {
        AzureVmAgentTemplate.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(AzureVmAgentTemplate.DescriptorImpl.class);

        assertThat(descriptor.doCheckNumExecutors("0").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor.doCheckNumExecutors("0").getMessage()).contains("numExecutors: 0 must be 1");
        assertThat(descriptor.doCheckIdleMinutes("ten").getMessage()).contains("is not a whole number");
        assertThat(descriptor.doCheckLabels(" ").getMessage()).contains("labels: missing");
        assertThat(descriptor.doCheckAdminUsername("root").getMessage()).contains("reserved by Azure");
        assertThat(descriptor.doCheckJavaPath("java -Xmx2g").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor.doCheckSshSource("203.0.113.7/32").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor.doCheckImage("").kind).as("empty: the default image").isEqualTo(FormValidation.Kind.OK);
        assertThat(j.jenkins.getDescriptorByType(AzureVmCloud.DescriptorImpl.class).doCheckAzureCredentialsId("")
                .kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void aTemplateWithoutSshCredentialsGetsAKeyGeneratedAtJenkinsLevelOnce(JenkinsConfiguredWithCodeRule j)
            throws Exception {
        AzureVmAgentTemplate template = new AzureVmAgentTemplate("linux", "westeurope", "rg", "10.0.0.1");
        template.setAdminUsername("builder");
        j.jenkins.clouds.add(new AzureVmCloud("Azure Agents", "azure", List.of(template)));

        String id = template.sshCredentialsId("Azure Agents");

        assertThat(id).matches("azure-ssh-vm-azure-agents-[0-9a-f]{8}");
        assertThat(template.getSshCredentialsId()).isEqualTo(id);
        assertThat(template.sshCredentialsId("Azure Agents")).isEqualTo(id);
        List<GeneratedSSHUserPrivateKeyImpl> generated = SystemCredentialsProvider.getInstance().getCredentials()
                .stream().filter(GeneratedSSHUserPrivateKeyImpl.class::isInstance)
                .map(GeneratedSSHUserPrivateKeyImpl.class::cast).toList();
        assertThat(generated).singleElement().satisfies(key -> {
            assertThat(key.getId()).isEqualTo(id);
            assertThat(key.getScope()).isEqualTo(CredentialsScope.SYSTEM);
            assertThat(key.getUsername()).isEqualTo("builder");
            assertThat(key.getKeyType()).isEqualTo(GeneratedKeyType.ED25519);
            assertThat(key.getPublicKeyLine()).startsWith("ssh-ed25519 ");
        });
        SSHUserPrivateKey found = template.sshCredentials(id);
        assertThat(found.getId()).isEqualTo(id);
        assertThat(((AzureVmCloud) j.jenkins.getCloud("Azure Agents")).getTemplates().get(0).getSshCredentialsId())
                .as("kept in the cloud's configuration").isEqualTo(id);
    }

    @Test
    void aCredentialLoggingInAsAnotherUserIsRefusedNamingBoth(JenkinsConfiguredWithCodeRule j) throws Exception {
        SshKeyPair key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "");
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.GLOBAL, "other-user", "azureuser", new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(
                        new PrivateKeyEncoder().encode(key, PrivateKeyFormat.defaultFor(key.type()), null)), null, ""));
        AzureVmAgentTemplate template = new AzureVmAgentTemplate("linux", "westeurope", "rg", "10.0.0.1");

        assertThatThrownBy(() -> template.sshCredentials("other-user")).isInstanceOf(AbortException.class)
                .hasMessageContaining("logs in as 'azureuser'").hasMessageContaining("adminUsername is 'jenkins'");
        assertThatThrownBy(() -> template.sshCredentials("missing")).isInstanceOf(AbortException.class)
                .hasMessageContaining("sshCredentialsId 'missing'");
    }
}
