package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.AzureEnvironment;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.vm.LinuxVm;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI reaches ARM as its options and environment say. */
class AzureCliOptionsTest {

    @Test
    void aCustomEndpointIsReachedTrustingItsCaWithTheTokenFromTheEnvironment() throws Exception {
        try (ArmEmulator arm = ArmEmulator.builder().runtime(NoVms::new).start()) {
            AzureAccess azure = new AzureCliOptions(null, arm.endpoint(), arm.caCertificatePem(), null)
                    .connect(Map.of("AZURE_ACCESS_TOKEN", "token", "AZURE_SUBSCRIPTION_ID", arm.subscriptionId()));

            azure.resources().resourceGroups().define("rg-cli").withRegion("westeurope").create();

            assertThat(azure.subscriptionId()).isEqualTo(arm.subscriptionId());
            assertThat(azure.armEndpoint()).isEqualTo(arm.endpoint().toString());
            assertThat(arm.inventory()).extracting(r -> r.id()).anyMatch(id -> id.endsWith("/rg-cli"));
        }
    }

    @Test
    void theSubscriptionOptionWinsOverTheEnvironmentAndOneIsNeeded() {
        AzureCliOptions options = new AzureCliOptions("AzureChinaCloud", null, null, "sub-option");
        AzureAccess azure = uncheckedConnect(options, Map.of("AZURE_ACCESS_TOKEN", "t", "AZURE_SUBSCRIPTION_ID", "e"));
        assertThat(azure.subscriptionId()).isEqualTo("sub-option");
        assertThat(azure.armEndpoint()).isEqualTo(AzureEnvironment.AZURE_CHINA.getResourceManagerEndpoint());

        assertThatThrownBy(() -> new AzureCliOptions(null, null, null, null).connect(Map.of()))
                .hasMessage("no subscription: give --subscription or set AZURE_SUBSCRIPTION_ID");
    }

    @Test
    void cloudsAreKnownByTheirAzCliNames() {
        assertThat(AzureClouds.byName("azureusgovernment")).isSameAs(AzureEnvironment.AZURE_US_GOVERNMENT);
        assertThatThrownBy(() -> AzureClouds.byName("AzureGermanCloud")).hasMessage("unknown cloud "
                + "'AzureGermanCloud'; use AzureCloud, AzureChinaCloud or AzureUSGovernment, or a custom ARM endpoint URL");
        assertThatThrownBy(() -> AzureClouds.withArmEndpoint(URI.create("http://127.0.0.1:8080/")))
                .hasMessage("ARM endpoint must be an https:// URL, got http://127.0.0.1:8080/");
        assertThatThrownBy(() -> new AzureCliOptions("AzureCloud", URI.create("https://x/"), null, null))
                .hasMessage("give a cloud name or an ARM endpoint URL, not both");
    }

    @Test
    void aCaFileWithoutACertificateIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> TrustingHttpClients.jdkTrusting(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining(empty.toString());
    }

    private static AzureAccess uncheckedConnect(AzureCliOptions options, Map<String, String> environment) {
        try {
            return options.connect(environment);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No VMs: these tests only reach ARM. */
    private static final class NoVms implements VmRuntime {
        NoVms(Path dir) {}

        @Override
        public LinuxVm create(VmSpec spec) throws IOException {
            throw new IOException("no VMs here");
        }

        @Override
        public void delete(String name) {}

        @Override
        public void close() {}
    }
}
