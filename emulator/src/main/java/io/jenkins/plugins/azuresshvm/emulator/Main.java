package io.jenkins.plugins.azuresshvm.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar azure-arm-emulator.jar [--port N] [--work-dir DIR] [--host-key-pool N] [--lro] [--latency-scale F]
 * [--fault KIND:TYPE:TIMES[:ARG]]...}: starts the emulator, prints its endpoint and where its CA certificate and
 * trust store are, and runs until stopped (SIGTERM or Ctrl-C close it cleanly). {@code --host-key-pool N} keeps N
 * host-key sets generated ahead, {@code --lro} turns on the long-running operation mode, {@code --latency-scale F}
 * sets {@link Latencies#azure()} scaled by F, each {@code --fault} injects a fault as {@link Fault#parse(String)}
 * reads it.
 */
public final class Main {

    private Main() {}

    private static final String USAGE = "usage: java -jar azure-arm-emulator.jar [--port N] [--work-dir DIR] [--host-key-pool N] [--lro]"
            + " [--latency-scale F] [--fault KIND:TYPE:TIMES[:ARG]]...";

    public static void main(String[] args) throws IOException, InterruptedException {
        ArmEmulator.Builder builder = ArmEmulator.builder();
        List<Fault> faults = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--port" -> builder.port(Integer.parseInt(required(args[i], value)));
                    case "--work-dir" -> builder.workDir(Path.of(required(args[i], value)));
                    case "--host-key-pool" -> builder.hostKeyPool(Integer.parseInt(required(args[i], value)));
                    case "--lro" -> {
                        builder.longRunningOperations(true);
                        continue;
                    }
                    case "--latency-scale" -> builder.latencies(Latencies.azure().scaled(
                            Double.parseDouble(required(args[i], value))));
                    case "--fault" -> faults.add(Fault.parse(required(args[i], value)));
                    default -> {
                        System.err.println(USAGE);
                        System.exit(2);
                    }
                }
                i++;
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        ArmEmulator emulator;
        try {
            emulator = builder.start();
        } catch (IOException e) {
            System.err.println("The ARM emulator cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        emulator.inject(faults.toArray(Fault[]::new));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "arm-emulator-shutdown"));
        System.out.println("ARM endpoint:   " + emulator.endpoint());
        System.out.println("CA certificate: " + emulator.caCertificatePem());
        System.out.println("Trust store:    " + emulator.trustStore() + " (PKCS12, password "
                + emulator.trustStorePassword() + ")");
        System.out.println("Subscription:   " + emulator.subscriptionId());
        System.out.println("Any non-empty bearer token is accepted. Stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
    }

    private static String required(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
