package io.jenkins.plugins.azuresshvm.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The ARM emulator's {@code Main} in a JVM of its own, so that its threads, heap and CPU are not the client's: started
 * with the given options, read from what it prints (endpoint, CA certificate, subscription), stopped with SIGTERM.
 */
final class EmulatorProcess implements AutoCloseable {
    private final Process process;
    private final URI endpoint;
    private final Path caCertificate;
    private final String subscriptionId;

    private EmulatorProcess(Process process, URI endpoint, Path caCertificate, String subscriptionId) {
        this.process = process;
        this.endpoint = endpoint;
        this.caCertificate = caCertificate;
        this.subscriptionId = subscriptionId;
    }

    /**
     * Starts {@code java -jar jar options…} and waits until it has printed its endpoint.
     *
     * @param logDir where its stdout and stderr go
     * @throws IOException when it exits or does not start within {@code timeout}; the message quotes its output
     */
    static EmulatorProcess start(Path jar, List<String> options, Path logDir, Duration timeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no emulator jar at " + jar.toAbsolutePath() + " (build it: ./mvnw -B -q -pl"
                    + " emulator package -DskipTests, or give -Dbench.emulator.jar=PATH)");
        }
        Path stdout = logDir.resolve("emulator.out");
        Path stderr = logDir.resolve("emulator.err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        // Ctrl-C or SIGTERM of the bench stops the emulator too (which then deletes its VMs)
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-emulator-stop"));
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.readString(stdout).contains("Stop with Ctrl-C.")) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IOException("the emulator did not start within " + timeout + " (" + String.join(" ", command)
                        + ")\nstdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
            }
            Thread.sleep(50);
        }
        // "ARM endpoint:   https://127.0.0.1:PORT/", "CA certificate: /…/ca.pem", "Subscription:   …"
        Map<String, String> lines = Files.readString(stdout).lines().filter(line -> line.contains(": "))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
                        line -> line.substring(line.indexOf(':') + 1).strip(), (a, b) -> a));
        return new EmulatorProcess(process, URI.create(lines.get("ARM endpoint")), Path.of(lines.get("CA certificate")),
                lines.get("Subscription"));
    }

    URI endpoint() {
        return endpoint;
    }

    Path caCertificate() {
        return caCertificate;
    }

    String subscriptionId() {
        return subscriptionId;
    }

    /** SIGTERM (the emulator then deletes its VMs), waiting up to a minute, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
    }
}
