package io.jenkins.plugins.azuresshvm.agents;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Node;
import hudson.plugins.sshslaves.SSHLauncher;
import hudson.slaves.DumbSlave;
import hudson.util.FormValidation;
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
import org.junit.jupiter.api.Test;

/**
 * The strategy is configured like the built-in ones: through the agent form, from Configuration as Code (declared,
 * exported, imported back with its launcher) and from Groovy/Java with its {@code @DataBoundConstructor}.
 */
@WithJenkinsConfiguredWithCode
class AzureRunCommandHostKeyVerificationStrategyConfigTest {

    @Test
    @ConfiguredWithCode("agent-with-azure-run-command.yaml")
    void aDeclaredAgentHasTheStrategyAndItsFormKeepsIt(JenkinsConfiguredWithCodeRule j) throws Exception {
        AzureRunCommandHostKeyVerificationStrategy declared = strategyOf(j.jenkins.getNode("azure-agent"));
        assertThat(declared.getAzureCredentialsId()).isEqualTo("azure");
        assertThat(declared.getResourceGroup()).isEqualTo("ci-rg");
        assertThat(declared.getVmName()).isEqualTo("agent-1");

        DumbSlave node = (DumbSlave) j.jenkins.getNode("azure-agent");
        DumbSlave roundTripped = j.configRoundtrip(node);

        j.assertEqualDataBoundBeans(declared, strategyOf(roundTripped));
        assertThat(((SSHLauncher) roundTripped.getLauncher()).getHost()).isEqualTo("10.0.0.4");
    }

    @Test
    @ConfiguredWithCode("agent-with-azure-run-command.yaml")
    void theExportKeepsLauncherAndStrategyAndImportsBack(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode nodes = Util.getJenkinsRoot(context).get("nodes");
        String exported = Util.toYamlString(nodes);
        assertThat(exported).contains("ssh:", "azureRunCommand:").containsPattern("host: \"?10\\.0\\.0\\.4")
                .containsPattern("azureCredentialsId: \"?azure").containsPattern("resourceGroup: \"?ci-rg")
                .containsPattern("vmName: \"?agent-1");

        j.jenkins.removeNode(j.jenkins.getNode("azure-agent"));
        String yaml = "jenkins:\n  nodes:\n" + exported.lines().map(line -> "  " + line)
                .reduce("", (all, line) -> all + line + "\n");
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));

        j.assertEqualDataBoundBeans(new AzureRunCommandHostKeyVerificationStrategy("azure", "ci-rg", "agent-1"),
                strategyOf(j.jenkins.getNode("azure-agent")));
    }

    @Test
    void aScriptSetsTheStrategyOnAnSshLauncherAsWithTheBuiltInOnes(JenkinsConfiguredWithCodeRule j)
            throws Exception {
        SSHLauncher launcher = new SSHLauncher("10.0.0.5", 22, "vm-key");
        launcher.setLaunchTimeoutSeconds(60);
        launcher.setSshHostKeyVerificationStrategy(
                new AzureRunCommandHostKeyVerificationStrategy(" azure ", "ci-rg", "agent-2"));
        DumbSlave node = new DumbSlave("scripted", "/home/azureuser/agent", launcher);
        j.jenkins.addNode(node);

        AzureRunCommandHostKeyVerificationStrategy strategy = strategyOf(j.configRoundtrip(node));

        assertThat(strategy.getAzureCredentialsId()).isEqualTo("azure");
        assertThat(strategy.getDescriptor().getDisplayName()).isEqualTo("Verify against Azure run-command");
    }

    @Test
    void theFormRequiresTheCredentialAndAVmNamesResourceGroupAndSaysHowAnEmptyVmNameIsFound(
            JenkinsConfiguredWithCodeRule j) {
        AzureRunCommandHostKeyVerificationStrategy.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(AzureRunCommandHostKeyVerificationStrategy.DescriptorImpl.class);

        assertThat(descriptor.doCheckAzureCredentialsId(" ").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor.doCheckAzureCredentialsId("azure").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(descriptor.doCheckResourceGroup("", "agent-vm").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(descriptor.doCheckResourceGroup("", "").kind).isEqualTo(FormValidation.Kind.OK);
        FormValidation byAddress = descriptor.doCheckVmName(" ");
        assertThat(byAddress.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(byAddress.getMessage()).contains("IP address or public DNS name");
    }

    private static AzureRunCommandHostKeyVerificationStrategy strategyOf(Node node) {
        return (AzureRunCommandHostKeyVerificationStrategy) ((SSHLauncher) ((DumbSlave) node).getLauncher())
                .getSshHostKeyVerificationStrategy();
    }
}
