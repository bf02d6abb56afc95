package io.jenkins.plugins.azuresshvm.azure;

import static org.junit.jupiter.api.Assertions.fail;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The ARM emulator with real sshd VMs, and the SDK pointed at it over HTTPS. */
final class Emulators {
    static final String REGION = "westeurope";

    static {
        // long-running operations poll as fast as the emulator answers, never the SDK's 30 s default
        ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(20));
    }

    private Emulators() {}

    /** Starts an emulator; without root, sshd or nss_wrapper the test is skipped, or fails under {@code CI=true}. */
    static ArmEmulator startOrSkip() throws IOException {
        return startOrSkip(ArmEmulator.builder());
    }

    /** Starts an emulator so built, skipping (or failing under {@code CI=true}) as {@link #startOrSkip()}. */
    static ArmEmulator startOrSkip(ArmEmulator.Builder builder) throws IOException {
        try {
            return builder.start();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("The VM emulator cannot run here")) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(e.getMessage() + " (CI=true: not skipping)");
                }
                Assumptions.abort(e.getMessage());
            }
            throw e;
        }
    }

    /** Access through the CLI's HTTP client (the JDK's, on a few shared threads) trusting the emulator's CA. */
    static AzureAccess access(ArmEmulator arm) throws Exception {
        return access(arm, ArmRetries.defaults());
    }

    /** {@link #access(ArmEmulator)} retrying and timing out as {@code retries} say. */
    static AzureAccess access(ArmEmulator arm, ArmRetries retries) throws Exception {
        AzureProfile profile = new AzureProfile(null, arm.subscriptionId(), AzureClouds.withArmEndpoint(arm.endpoint()));
        return AzureAccess.of(new FixedTokenCredential("emulator-token"),
                TrustingHttpClients.jdkTrusting(arm.caCertificatePem()), profile, retries);
    }

    /** What the emulator holds of VM {@code vmName}: the VM and its {@code <name>-…} resources. */
    static List<LiveResource> resourcesOf(ArmEmulator arm, String vmName) {
        return arm.inventory().stream().filter(r -> r.id().matches(".*/" + vmName + "([-_][A-Za-z0-9_]+)?")).toList();
    }

    /** The host keys the sshd at {@code host:port} presents, as the real {@code ssh-keyscan} sees them. */
    static List<SshPublicKey> keyscan(String host, int port) throws Exception {
        List<SshPublicKey> keys = new ArrayList<>();
        for (String line : OpenSsh.run(OpenSsh.sshKeyscan(), "-p", Integer.toString(port), host).assertSuccess()
                .stdout().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                keys.add(SshPublicKey.parse(line.substring(line.indexOf(' ') + 1)));
            }
        }
        return keys;
    }
    /** A provisioner polling every 100 ms (Azure's operations are seconds here, not minutes). */
    static AzureVmProvisioner provisioner(AzureAccess azure) {
        return new AzureVmProvisioner(azure, Duration.ofMillis(100), Clock.systemUTC());
    }

    /** A launcher over {@code provisioner} whose run-command probe polls every 200 ms. */
    static VerifiedVmLauncher launcher(AzureAccess azure, AzureVmProvisioner provisioner) {
        return new VerifiedVmLauncher(provisioner,
                new RunCommandHostKeyProbe(new RunCommand(azure, Duration.ofMillis(200))));
    }
}
