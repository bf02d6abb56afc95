package io.jenkins.plugins.azuresshvm.azure;

import static org.junit.jupiter.api.Assertions.fail;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.profile.AzureProfile;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/** The ARM emulator with real sshd VMs, and the SDK pointed at it over HTTPS. */
final class Emulators {
    static final String REGION = "westeurope";

    private Emulators() {}

    /** Starts an emulator; without root, sshd or nss_wrapper the test is skipped, or fails under {@code CI=true}. */
    static ArmEmulator startOrSkip() throws IOException {
        return startOrSkip(ArmEmulator.builder());
    }

    /** {@link #startOrSkip()} of an emulator built so (latencies, modes). */
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

    /** Access as Jenkins sets it up: its own HTTP client (here the JDK's trusting the emulator's CA), a token. */
    static AzureAccess access(ArmEmulator arm) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(arm.trustStore())) {
            trustStore.load(in, arm.trustStorePassword().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls)).build();
        AzureProfile profile = new AzureProfile(null, arm.subscriptionId(), AzureClouds.withArmEndpoint(arm.endpoint()));
        return AzureAccess.of(new FixedTokenCredential("emulator-token"), http, profile);
    }
}
