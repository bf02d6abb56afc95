package io.jenkins.plugins.azuresshvm.emulator;

import io.jenkins.plugins.azuresshvm.emulator.arm.ArmServer;
import io.jenkins.plugins.azuresshvm.emulator.tls.TlsMaterial;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshdVmRuntime;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local Azure Resource Manager whose Linux VMs are real OpenSSH servers, for the real Azure SDK over HTTPS.
 * It listens on 127.0.0.1 only: it runs scripts as root for any bearer token. Closing it stops every VM and deletes
 * its files.
 *
 * <pre>{@code
 * try (ArmEmulator arm = ArmEmulator.builder().start()) {
 *     // point the SDK at arm.endpoint(), trusting arm.trustStore()
 * }
 * }</pre>
 *
 * <p>By default it answers at once and synchronously; {@link Builder#longRunningOperations(boolean)} and
 * {@link Builder#latencies(Latencies)} make it as slow as Azure, and {@link #inject(Fault...)} makes it fail as
 * Azure sometimes does.
 */
public final class ArmEmulator implements AutoCloseable {

    /** Starts the {@link VmRuntime} the emulator boots its VMs with, in a directory it owns. */
    @FunctionalInterface
    public interface RuntimeFactory {
        VmRuntime start(Path vmsDir) throws IOException;
    }

    private final Path workDir;
    private final TlsMaterial tls;
    private final VmRuntime runtime;
    private final ArmServer server;
    private final String subscriptionId;
    private boolean closed;

    private ArmEmulator(Path workDir, TlsMaterial tls, VmRuntime runtime, ArmServer server,
            String subscriptionId) {
        this.workDir = workDir;
        this.tls = tls;
        this.runtime = runtime;
        this.server = server;
        this.subscriptionId = subscriptionId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The ARM endpoint, {@code https://127.0.0.1:PORT/}: the SDK's {@code resourceManagerEndpointUrl}. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** The CA certificate (PEM) that signed the endpoint's TLS certificate. */
    public Path caCertificatePem() {
        return tls.caCertificatePem();
    }

    /** A PKCS12 trust store holding the CA certificate; its password is {@link #trustStorePassword()}. */
    public Path trustStore() {
        return tls.trustStore();
    }

    public String trustStorePassword() {
        return TlsMaterial.TRUST_STORE_PASSWORD;
    }

    /** The only subscription the emulator serves. */
    public String subscriptionId() {
        return subscriptionId;
    }

    /** Every live resource, resource groups included. */
    public List<LiveResource> inventory() {
        return server.inventory();
    }

    /** Every request answered so far, in order. */
    public List<LoggedRequest> requestLog() {
        return server.requestLog();
    }

    /**
     * Injects {@code attacks} into the running VM named {@code vmName}, replacing any injected before; no attacks
     * restore it.
     *
     * @throws IllegalArgumentException when no such VM runs
     */
    public void attack(String vmName, Attack... attacks) throws IOException {
        server.attack(vmName, List.of(attacks));
    }

    /**
     * The TCP connections the sshd of the running VM {@code vmName} accepted so far, oldest first, with the time its
     * log gives each.
     *
     * @throws IllegalArgumentException when no such VM runs
     */
    public List<SshConnection> sshConnections(String vmName) throws IOException {
        return server.sshConnections(vmName);
    }

    /** Every port opened by a just-in-time access request so far, in order. */
    public List<JitAccessRequest> jitRequests() {
        return server.jitRequests();
    }

    /**
     * Makes the next requests of each fault's kind fail that way ({@link Fault#times()} each, after those injected
     * before); {@link #requestLog()} names the fault of each request it hit.
     */
    public void inject(Fault... faults) {
        server.inject(List.of(faults));
    }

    /** Stops listening, stops every VM and deletes the emulator's files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } finally {
            try {
                runtime.close();
            } finally {
                deleteFiles();
            }
        }
    }

    private void deleteFiles() {
        try {
            deleteTree(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Options of an emulator; each has a default. */
    public static final class Builder {

        private Path workDir;
        private int hostKeyPool = SshdVmRuntime.DEFAULT_HOST_KEY_POOL;
        private RuntimeFactory runtime = dir -> SshdVmRuntime.start(dir, hostKeyPool);
        private int port;
        private String subscriptionId = UUID.randomUUID().toString();
        private boolean jitAvailable = true;
        private boolean longRunningOperations;
        private Latencies latencies = Latencies.none();

        private Builder() {}

        /**
         * Where the VMs and (in {@code tls/}) the CA certificate and trust store live: an empty or new directory,
         * deleted when the emulator stops; default a new temp directory.
         */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** The VM runtime; default {@link SshdVmRuntime} (real sshd; needs root, openssh-server, nss_wrapper). */
        public Builder runtime(RuntimeFactory runtime) {
            this.runtime = runtime;
            return this;
        }

        /**
         * How many VMs' host keys the default runtime keeps generated ahead; default
         * {@value SshdVmRuntime#DEFAULT_HOST_KEY_POOL}. Raise it to create many VMs at once.
         */
        public Builder hostKeyPool(int sets) {
            this.hostKeyPool = sets;
            return this;
        }

        /** The TCP port on 127.0.0.1; default 0, any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The subscription served; default a random UUID. */
        public Builder subscriptionId(String subscriptionId) {
            this.subscriptionId = subscriptionId;
            return this;
        }

        /**
         * Whether the subscription has Microsoft Defender for Servers, without which every just-in-time access call
         * is a 400 naming the missing plan; default {@code true}.
         */
        public Builder jitAvailable(boolean jitAvailable) {
            this.jitAvailable = jitAvailable;
            return this;
        }

        /**
         * Whether PUTs of VMs and network resources answer 201 {@code Creating}/{@code Updating} with an
         * {@code Azure-AsyncOperation} whose first poll says {@code InProgress}, and resource DELETEs answer 202
         * operations, as Azure does; default {@code false}: synchronous answers.
         */
        public Builder longRunningOperations(boolean longRunningOperations) {
            this.longRunningOperations = longRunningOperations;
            return this;
        }

        /** How long VM creation, boot and run-command take; default {@link Latencies#none()}. */
        public Builder latencies(Latencies latencies) {
            this.latencies = java.util.Objects.requireNonNull(latencies, "latencies");
            return this;
        }

        public ArmEmulator start() throws IOException {
            Path dir = workDir == null ? Files.createTempDirectory("azure-arm-emulator-") : workDir;
            Files.createDirectories(dir);
            VmRuntime vms = null;
            try {
                // the runtime owns the whole directory: its watchdog deletes it, TLS files included, if the JVM dies
                vms = runtime.start(dir);
                TlsMaterial tls = TlsMaterial.generate(Files.createDirectories(dir.resolve("tls")));
                ArmServer server = ArmServer.start(tls.sslContext(), port, subscriptionId, vms,
                        longRunningOperations, latencies, jitAvailable);
                return new ArmEmulator(dir, tls, vms, server, subscriptionId);
            } catch (IOException | RuntimeException e) {
                if (vms != null) {
                    vms.close();
                }
                deleteTree(dir);
                throw e;
            }
        }
    }
}
