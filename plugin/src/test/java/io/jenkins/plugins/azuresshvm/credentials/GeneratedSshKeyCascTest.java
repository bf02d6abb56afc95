package io.jenkins.plugins.azuresshvm.credentials;

import static io.jenkins.plugins.azuresshvm.credentials.StoredKeys.assertSshKeygenDerivesThePublicKey;
import static io.jenkins.plugins.azuresshvm.credentials.StoredKeys.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorException;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.yaml.YamlSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration as Code: declared without key material, the key is generated once and kept; export imports back. */
@WithJenkinsConfiguredWithCode
class GeneratedSshKeyCascTest {

    @TempDir
    Path dir;

    @Test
    @ConfiguredWithCode("generated-key.yaml")
    void aDeclaredCredentialGetsAKeyPairOnceAndKeepsItWhenTheYamlIsAppliedAgain(JenkinsConfiguredWithCodeRule j)
            throws Exception {
        GeneratedSSHUserPrivateKeyImpl first = stored("vm-key");
        assertThat(first.getUsername()).isEqualTo("azureuser");
        assertThat(first.getDescription()).isEqualTo("VMs of the build farm");
        assertThat(first.getKeyType()).isEqualTo(GeneratedKeyType.ED25519);
        assertThat(first.getPrivateKeys()).singleElement().asString().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertSshKeygenDerivesThePublicKey(first, dir);

        apply(resource("generated-key.yaml"));
        apply(resource("generated-key.yaml"));

        GeneratedSSHUserPrivateKeyImpl again = stored("vm-key");
        assertThat(again).isNotSameAs(first);
        assertThat(again.getPrivateKeys()).isEqualTo(first.getPrivateKeys());
        assertThat(again.getPublicKeyLine()).isEqualTo(first.getPublicKeyLine());
    }

    @Test
    @ConfiguredWithCode("generated-key.yaml")
    void exportedConfigurationImportsBackToTheSameKeyPair(JenkinsConfiguredWithCodeRule j) throws Exception {
        GeneratedSSHUserPrivateKeyImpl original = stored("vm-key");
        String exported = exportCredentials();
        assertThat(exported).contains("generatedSshKey:").containsPattern("privateKeySecret: [\"']?\\{")
                .containsPattern("keyType: \"?ED25519").doesNotContain("PRIVATE KEY");

        SystemCredentialsProvider.getInstance().setDomainCredentialsMap(Map.of(Domain.global(), new ArrayList<>()));
        assertThat(SystemCredentialsProvider.getInstance().getCredentials()).isEmpty();
        apply(exported);

        GeneratedSSHUserPrivateKeyImpl imported = stored("vm-key");
        assertThat(imported.getPrivateKeys()).isEqualTo(original.getPrivateKeys());
        assertThat(imported.getPublicKeyLine()).isEqualTo(original.getPublicKeyLine());
        assertThat(imported.getUsername()).isEqualTo("azureuser");
    }

    @Test
    @ConfiguredWithCode("generated-key.yaml")
    void keyMaterialOfAnotherTypeThanDeclaredIsRefusedNamingBoth(JenkinsConfiguredWithCodeRule j) throws Exception {
        String exported = exportCredentials().replaceAll("keyType: \"?ED25519\"?", "keyType: RSA_4096");
        List<Credentials> before = List.copyOf(SystemCredentialsProvider.getInstance().getCredentials());

        assertThatThrownBy(() -> apply(exported))
                .isInstanceOf(ConfiguratorException.class)
                .rootCause().hasMessage("credential 'vm-key': privateKeySecret holds a Ed25519 key but keyType is"
                        + " RSA 4096 (RSA_4096)");
        assertThat(SystemCredentialsProvider.getInstance().getCredentials()).isEqualTo(before);
    }

    /** The Jenkins-level credentials as a complete {@code credentials:} YAML document. */
    private static String exportCredentials() throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode system = context.lookupOrFail(SystemCredentialsProvider.class)
                .describe(SystemCredentialsProvider.getInstance(), context);
        String body = Util.toYamlString(system).lines().map(line -> "    " + line)
                .collect(Collectors.joining("\n"));
        return "credentials:\n  system:\n" + body + "\n";
    }

    private static void apply(String yaml) throws Exception {
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    private static String resource(String name) throws Exception {
        return Util.toStringFromYamlFile(new GeneratedSshKeyCascTest(), name);
    }
}
