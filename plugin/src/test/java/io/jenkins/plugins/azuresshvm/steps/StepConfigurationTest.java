package io.jenkins.plugins.azuresshvm.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every step's arguments survive the data-bound model and the Snippet Generator, defaults left out. */
@WithJenkins
class StepConfigurationTest {

    private static AzureSshVmStep fullBlockStep() {
        AzureSshVmStep step = new AzureSshVmStep("azure", "vm-key", "rg", "westeurope", "203.0.113.7/32");
        step.setName("build-vm");
        step.setImage("Ubuntu2204");
        step.setSize("Standard_D2s_v5");
        step.setAdminUsername("ci");
        step.setPublicIp(false);
        step.setTags(List.of(new VmTag("team", "ci")));
        step.setAdditionalPublicKeys("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmFhZSi3l7sGvWhfHbrmDtd+3S4YIxYFgfs8TSDVxRl x");
        step.setJit(true);
        step.setPreseedHostKeys(true);
        step.setKeep(true);
        return step;
    }

    @Test
    void blockStepRoundTripsEveryArgument(JenkinsRule r) throws Exception {
        AzureSshVmStep step = fullBlockStep();

        r.assertEqualDataBoundBeans(step, roundTrip(step));
    }

    @Test
    void createStepRoundTripsAndKeepsItsDefaults(JenkinsRule r) throws Exception {
        AzureSshVmCreateStep step = new AzureSshVmCreateStep("azure", "vm-key", "rg", "westeurope", "10.0.0.0/8");

        AzureSshVmCreateStep back = roundTrip(step);
        r.assertEqualDataBoundBeans(step, back);
        assertThat(back.getImage()).isEqualTo("Ubuntu2404");
        assertThat(back.getSize()).isEqualTo("Standard_B2s");
        assertThat(back.isPublicIp()).isTrue();
        assertThat(back.getName()).isNull();
        assertThat(back.isJit()).isFalse();
        assertThat(back.isPreseedHostKeys()).isFalse();
    }

    @Test
    void createStepRoundTripsJitAndPreseededHostKeys(JenkinsRule r) throws Exception {
        AzureSshVmCreateStep step = new AzureSshVmCreateStep("azure", "vm-key", "rg", "westeurope", "10.0.0.0/8");
        step.setJit(true);
        step.setPreseedHostKeys(true);

        AzureSshVmCreateStep back = roundTrip(step);
        r.assertEqualDataBoundBeans(step, back);
        assertThat(back.isJit()).isTrue();
        assertThat(back.isPreseedHostKeys()).isTrue();
        assertThat(Snippetizer.object2Groovy(step)).contains("jit: true", "preseedHostKeys: true");
    }

    @Test
    void existingVmStepsRoundTrip(JenkinsRule r) throws Exception {
        AzureSshVmDeleteStep delete = new AzureSshVmDeleteStep("azure", "rg", "vm1");
        AzureSshVmHostKeysStep hostKeys = new AzureSshVmHostKeysStep("azure", "rg", "vm1");

        r.assertEqualDataBoundBeans(delete, roundTrip(delete));
        r.assertEqualDataBoundBeans(hostKeys, roundTrip(hostKeys));
    }

    @Test
    void snippetGeneratorWritesTheSymbolAndOnlyArgumentsThatDifferFromTheDefaults(JenkinsRule r) {
        AzureSshVmCreateStep create = new AzureSshVmCreateStep("azure", "vm-key", "rg", "westeurope", "10.0.0.0/8");

        assertThat(Snippetizer.object2Groovy(create)).startsWith("azureSshVmCreate ")
                .contains("azureCredentialsId: 'azure'", "sshCredentialsId: 'vm-key'", "resourceGroup: 'rg'",
                        "location: 'westeurope'", "sshSource: '10.0.0.0/8'")
                .doesNotContain("image", "size", "publicIp", "keep", "name:", "jit", "preseedHostKeys");
        assertThat(Snippetizer.object2Groovy(fullBlockStep())).startsWith("azureSshVm(")
                .contains("keep: true", "publicIp: false", "tags: [vmTag(name: 'team', value: 'ci')]",
                        "adminUsername: 'ci'", "name: 'build-vm'", "image: 'Ubuntu2204'", "jit: true",
                        "preseedHostKeys: true", "// some block");
        assertThat(Snippetizer.object2Groovy(new AzureSshVmHostKeysStep("azure", "rg", "vm1")))
                .startsWith("azureSshVmHostKeys ")
                .contains("azureCredentialsId: 'azure'", "resourceGroup: 'rg'", "name: 'vm1'");
    }

    @Test
    void snippetGeneratorPageOffersEveryStep(JenkinsRule r) throws Exception {
        String page = r.createWebClient().goTo("pipeline-syntax").asNormalizedText();

        assertThat(page).contains("azureSshVm: Run a block with a host-key-verified Azure Linux VM",
                "azureSshVmCreate:", "azureSshVmDelete:", "azureSshVmHostKeys:");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Step> T roundTrip(T step) throws Exception {
        DescribableModel<T> model = (DescribableModel<T>) DescribableModel.of(step.getClass());
        return model.instantiate(model.uninstantiate2(step).toMap(), null);
    }
}
