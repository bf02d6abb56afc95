package io.jenkins.plugins.azuresshvm.connector;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.core.management.profile.AzureProfile;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Node;
import hudson.model.Run;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureClouds;
import io.jenkins.plugins.azuresshvm.azure.FixedTokenCredential;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The ARM emulator for the plugin's tests: started once per test class (skipped with the reason where it cannot run:
 * its VMs are sshd processes in namespaces and need root, sshd and nss_wrapper; Jenkins' CI runs as non-root), its CA
 * trusted through the JVM's default trust store (the azure-sdk plugin's Netty client takes no SSLContext).
 */
public final class EmulatedAzure {
    private static ArmEmulator arm;

    private EmulatedAzure() {}

    public static synchronized ArmEmulator startOrSkip() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the emulator's VMs are sshd processes in namespaces and need root (Jenkins CI runs as non-root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "OpenSSH server (/usr/sbin/sshd) is not installed");
        assumeTrue(Stream.of("/usr/lib/x86_64-linux-gnu/libnss_wrapper.so",
                        "/usr/lib/aarch64-linux-gnu/libnss_wrapper.so", "/usr/lib/libnss_wrapper.so")
                .anyMatch(path -> Files.exists(Path.of(path))), "libnss_wrapper.so is not installed");
        arm = ArmEmulator.builder().start();
        System.setProperty("javax.net.ssl.trustStore", arm.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", arm.trustStorePassword());
        return arm;
    }

    public static synchronized void stop() {
        if (arm != null) {
            arm.close();
            arm = null;
        }
    }

    public static synchronized ArmEmulator arm() {
        return arm;
    }

    /** A fixed token and the emulator's endpoint, over the azure-sdk plugin's HTTP client. */
    public static AzureAccess access() {
        return AzureAccess.of(new FixedTokenCredential("test-token"), HttpClientRetriever.get(),
                new AzureProfile(null, arm().subscriptionId(), AzureClouds.withArmEndpoint(arm().endpoint())));
    }

    /** Reaches the emulator for any credential id; a test class registers a subclass as its {@code @TestExtension}. */
    public abstract static class Connector extends AzureConnector {
        @NonNull
        @Override
        public AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Run<?, ?> run) {
            return access();
        }

        @NonNull
        @Override
        public AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Node node) {
            return access();
        }
    }
}
