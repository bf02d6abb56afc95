package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@link Main} prints once it runs: its endpoint, CA certificate, trust store and subscription. */
record MainOutput(URI endpoint, Path caCertificate, Path trustStore, String trustStorePassword,
        String subscriptionId) {

    /** Waits until {@code main}, writing to {@code stdout}, has printed everything; fails after {@code timeout}. */
    static MainOutput await(Process main, Path stdout, Path stderr, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.readString(stdout).contains("Stop with Ctrl-C.")) {
            if (!main.isAlive() || Instant.now().isAfter(deadline)) {
                fail("Main did not start within %s (alive: %s)%nstdout:%n%s%nstderr:%n%s", timeout, main.isAlive(),
                        Files.readString(stdout), Files.readString(stderr));
            }
            Thread.sleep(20);
        }
        Map<String, String> lines = Files.readString(stdout).lines()
                .filter(line -> line.contains(": "))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
                        line -> line.substring(line.indexOf(':') + 1).strip(), (a, b) -> a));
        // Trust store:    /…/tls/truststore.p12 (PKCS12, password changeit)
        String trustStore = lines.get("Trust store");
        assertThat(trustStore).as("Trust store line").matches(".+ \\(PKCS12, password \\S+\\)");
        return new MainOutput(URI.create(lines.get("ARM endpoint")), Path.of(lines.get("CA certificate")),
                Path.of(trustStore.substring(0, trustStore.lastIndexOf(" (PKCS12"))),
                trustStore.substring(trustStore.lastIndexOf(' ') + 1, trustStore.length() - 1),
                lines.get("Subscription"));
    }
}
