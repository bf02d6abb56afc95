package io.jenkins.plugins.azuresshvm.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import org.junit.jupiter.api.Test;

class AgentTemplateSpecTest {
    private static final SshKeyGenerator GENERATOR = new SshKeyGenerator();
    private static final SshPublicKey LOGIN = GENERATOR.generate(KeyGenSpec.ed25519(), "agent").publicKey();

    static AgentTemplateSpec template(String initScript, boolean preseed) {
        return new AgentTemplateSpec("  linux  azure ", "Ubuntu2404", "Standard_B2s", "westeurope", "rg-agents",
                "jenkins", 2, 3, 10, initScript, "java", "203.0.113.7/32", false, preseed);
    }

    @Test
    void turnsIntoTheSpecOfOneAgentVmWithItsInitScriptAndPreseededKeysInOneCloudConfig() {
        AgentTemplateSpec template = template(null, true);

        VmSpec spec = template.vmSpec("agents-abc123", "jenkins-1/agents", LOGIN, 21, GENERATOR);

        assertThat(template.labels()).isEqualTo("linux azure");
        assertThat(spec.name()).isEqualTo("agents-abc123");
        assertThat(spec.ownerId()).isEqualTo("jenkins-1/agents");
        assertThat(spec.resourceGroup()).isEqualTo("rg-agents");
        assertThat(spec.createResourceGroup()).isFalse();
        assertThat(spec.adminUsername()).isEqualTo("jenkins");
        assertThat(spec.sshKeys()).containsExactly(LOGIN);
        assertThat(spec.preseededHostKeys()).isNotNull();
        assertThat(spec.cloudConfig().hostKeys()).hasSize(2);
        assertThat(spec.cloudConfig().document()).contains(AgentInitScript.SCRIPT, "openjdk-21-jre-headless",
                "ssh_keys:");
    }

    @Test
    void aBlankInitScriptMeansTheDefaultAndAGivenOneReplacesIt() {
        assertThat(template("  \n", false).initScript()).isNull();
        assertThat(template(null, false).initScriptFor(17).script()).contains("openjdk-17-jre-headless",
                "command -v java");
        assertThat(template("echo hi", false).initScriptFor(17).script()).isEqualTo("echo hi");
        assertThat(template(null, false).vmSpec("a-1", "o", LOGIN, 21, GENERATOR).preseededHostKeys()).isNull();
    }

    @Test
    void namesEveryFieldAtFaultAtOnce() {
        InvalidAgentTemplateException e = catchThrowableOfType(InvalidAgentTemplateException.class,
                () -> new AgentTemplateSpec("linux !windows", "not an image", "Standard B2s", "West Europe!", null,
                        "root", 0, 0, 0, "x".repeat(AgentTemplateSpec.MAX_INIT_SCRIPT_BYTES + 1), "java -Xmx1g",
                        "*", true, false));

        assertThat(e.problems()).extracting(problem -> problem.substring(0, problem.indexOf(':')))
                .containsExactlyInAnyOrder("labels", "numExecutors", "instanceCap", "idleMinutes", "initScript",
                        "javaPath", "image", "size", "region", "resourceGroup", "adminUsername", "jit");
        assertThat(e.getMessage()).startsWith("invalid agent template: ")
                .contains("labels: '!windows'", "numExecutors: 0 must be 1–256", "javaPath: 'java -Xmx1g'",
                        "adminUsername: 'root' is reserved");
        assertThat(catchThrowableOfType(InvalidAgentTemplateException.class, () -> new AgentTemplateSpec(" ",
                "Ubuntu2404", "Standard_B2s", "westeurope", "rg", "jenkins", 1, 1, 1, null, null, null, false, false))
                .problems()).containsExactly("labels: missing; jobs choose agents of a template by its labels",
                        "javaPath: missing must be 'java' or an absolute path of letters, digits and ._+-/",
                        "sshSource: missing; give the address or CIDR that may reach SSH (or '*' for any, explicitly)");
    }

    @Test
    void acceptsAnAbsoluteJavaPathAndTheSmallestCounts() {
        AgentTemplateSpec template = new AgentTemplateSpec("a", "Ubuntu2404", "Standard_B2s", "westeurope", "rg",
                "jenkins", 1, 1, 1, "#!/bin/bash\ntrue\n", "/usr/lib/jvm/java-21-openjdk-amd64/bin/java",
                "10.0.0.0/8", true, false);
        assertThat(template.javaPath()).isEqualTo("/usr/lib/jvm/java-21-openjdk-amd64/bin/java");
        assertThat(template.vmSpec("a-1", "o", LOGIN, 21, GENERATOR).jit()).isTrue();
    }

    @Test
    void aFormChecksOneFieldAtATime() {
        assertThat(AgentTemplateSpec.problemsOf("numExecutors", "2")).isEmpty();
        assertThat(AgentTemplateSpec.problemsOf("numExecutors", "0")).containsExactly("numExecutors: 0 must be 1–256");
        assertThat(AgentTemplateSpec.problemsOf("idleMinutes", "ten")).containsExactly(
                "idleMinutes: 'ten' is not a whole number");
        assertThat(AgentTemplateSpec.problemsOf("region", "West Europe")).isEmpty();
        assertThat(AgentTemplateSpec.problemsOf("sshSource", "everywhere")).singleElement().asString()
                .startsWith("sshSource: 'everywhere' is not an IP address");
        assertThat(AgentTemplateSpec.problemsOf("initScript", "")).isEmpty();
        assertThatThrownBy(() -> AgentTemplateSpec.problemsOf("colour", "red")).hasMessage("no template field colour");
    }
}
