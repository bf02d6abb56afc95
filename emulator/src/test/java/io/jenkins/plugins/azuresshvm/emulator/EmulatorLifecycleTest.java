package io.jenkins.plugins.azuresshvm.emulator;

import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.processesInPidNamespace;
import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.processesMentioning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import com.azure.resourcemanager.compute.ComputeManager;
import io.jenkins.plugins.azuresshvm.emulator.vm.Machine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The emulator's whole life with real sshd VMs, at its three entry points: {@link Main} in a separate JVM (killed by
 * SIGKILL or stopped by SIGTERM), {@link ArmEmulator} in-process, and {@link ArmEmulatorExtension}. Each time, once
 * it is gone, nothing of it may remain: no process (sshd, its per-connection children, a logged-in user's command),
 * no listening VM address, no file of its work directory (TLS material included). Needs root, openssh-server,
 * libnss-wrapper and util-linux: skipped without them, failed under {@code CI=true}.
 */
class EmulatorLifecycleTest {

    private static final String ADMIN = "azureuser";
    private static final String GROUP = "rg-lifecycle";
    /** How long the emulator's processes and files may outlive it. */
    private static final Duration CLEANUP = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    private static Path key;

    @BeforeAll
    static void requirements() throws Exception {
        Machine.assumeVmRequirements();
        key = Machine.keyPair(temp, "admin");
    }

    @Test
    void mainKilledBySigkillLeavesNoProcessNorFile() throws Exception {
        // no --work-dir: Main works in a temp directory of its own, found from the printed CA path
        try (RunningMain running = startMain(List.of(), null)) {
            Instant killed = Instant.now();
            running.main().destroyForcibly();

            assertThat(running.main().waitFor(CLEANUP.toMillis(), TimeUnit.MILLISECONDS)).as("JVM ended").isTrue();
            assertThat(running.main().exitValue()).as("exit code of a SIGKILLed JVM").isEqualTo(128 + 9);
            // the JVM could not clean up: the VM runtime's watchdog does
            awaitNoLeftovers(running, Set.of());
            System.out.printf("Main SIGKILLed -> nothing left in %d ms%n",
                    Duration.between(killed, Instant.now()).toMillis());
            assertThat(running.session().waitFor(5, TimeUnit.SECONDS)).as("ssh session ended").isTrue();
        }
    }

    @Test
    void mainStoppedBySigtermClosesTheEmulatorItself() throws Exception {
        Path workDir = temp.resolve("main-sigterm");
        try (RunningMain running = startMain(List.of("--work-dir", workDir.toString()), workDir)) {
            // the watchdog would clean up after the JVM all the same: freeze it, so that only Main's shutdown hook can
            long watchdog = running.watchdogPid();
            signal("STOP", watchdog);
            try {
                Instant stopped = Instant.now();
                running.main().destroy();

                // all but the watchdog and the JVM (which names the work dir) waiting for it
                awaitNoLeftovers(running, Set.of(watchdog, running.main().pid()));
                System.out.printf("Main SIGTERMed -> nothing left (but the JVM and frozen watchdog) in %d ms%n",
                        Duration.between(stopped, Instant.now()).toMillis());
            } finally {
                signal("CONT", watchdog);
            }
            // close() waits for the watchdog to end, so the JVM ends after it, having left nothing
            assertThat(running.main().waitFor(CLEANUP.toMillis(), TimeUnit.MILLISECONDS)).as("JVM ended").isTrue();
            assertThat(running.main().exitValue()).as("exit code of a JVM ended by SIGTERM").isEqualTo(128 + 15);
            assertThat(leftovers(running.workDir(), running.vm(), running.marker(), running.sshdNamespace(), Set.of()))
                    .isEmpty();
            assertThat(running.session().waitFor(5, TimeUnit.SECONDS)).as("ssh session ended").isTrue();
        }
    }

    @Test
    void closingAnEmulatorInProcessStopsItsVmsAndDeletesItsFiles() throws Exception {
        ArmEmulator arm = ArmEmulator.builder().start();
        Path workDir;
        Vm vm;
        try {
            workDir = workDir(arm.caCertificatePem());
            vm = createVm(Sdk.compute(arm), "vm-inprocess");
            assertThat(processesMentioning(workDir.toString())).isNotEmpty();
        } finally {
            arm.close();
        }

        // close() is synchronous: nothing to wait for
        assertThat(leftovers(workDir, vm, null, null, Set.of())).isEmpty();
        assertThat(accepts(arm.endpoint())).as("endpoint accepts connections").isFalse();
        arm.close();
    }

    @Test
    void extensionInjectsOneEmulatorPerClassAndClosesItAfterTheClass() throws Exception {
        WithExtension.seen.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();

        LauncherFactory.create().execute(request().selectors(selectClass(WithExtension.class)).build(), listener);

        TestExecutionSummary summary = listener.getSummary();
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 20);
        assertThat(summary.getTotalFailureCount()).as(failures.toString()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        ArmEmulator arm = WithExtension.seen.get(0);
        assertThat(WithExtension.seen).as("@BeforeAll and both tests get the same emulator")
                .hasSize(3).allSatisfy(seen -> assertThat(seen).isSameAs(arm));
        assertThat(leftovers(workDir(arm.caCertificatePem()), WithExtension.vm, null, null, Set.of())).isEmpty();
        assertThat(accepts(arm.endpoint())).as("endpoint accepts connections").isFalse();
    }

    /** Run by {@link #extensionInjectsOneEmulatorPerClassAndClosesItAfterTheClass()}; surefire skips it. */
    @ExtendWith(ArmEmulatorExtension.class)
    static class WithExtension {

        static final List<ArmEmulator> seen = new ArrayList<>();
        static Vm vm;

        @BeforeAll
        static void injectedBeforeAll(ArmEmulator arm) {
            seen.add(arm);
        }

        @Test
        void createsARealVm(ArmEmulator arm) throws Exception {
            seen.add(arm);
            vm = createVm(Sdk.compute(arm), "vm-extension");
            assertThat(accepts(new InetSocketAddress(vm.ip(), 22))).isTrue();
        }

        @Test
        void servesTheSameEmulator(ArmEmulator arm) {
            seen.add(arm);
            assertThat(Files.exists(arm.trustStore())).isTrue();
        }
    }

    /** {@link Main} in its own JVM, with one VM into which an ssh session runs {@code sleep MARKER}. */
    private record RunningMain(Process main, Path workDir, Vm vm, Process session, String marker,
            String sshdNamespace) implements AutoCloseable {

        /** The VM runtime's watchdog: {@code /bin/sh -c SCRIPT watchdog WORKDIR}. */
        long watchdogPid() throws IOException {
            List<Long> watchdogs = processesMentioning(workDir.toString()).stream()
                    .filter(pid -> Machine.cmdline(pid).startsWith("/bin/sh -c ")
                            && Machine.cmdline(pid).endsWith(" watchdog " + workDir + " "))
                    .toList();
            assertThat(watchdogs).as("the watchdog's PID").hasSize(1);
            return watchdogs.get(0);
        }

        @Override
        public void close() {
            main.destroyForcibly();
            if (session != null) {
                session.destroyForcibly();
            }
        }
    }

    /**
     * Starts {@link Main} in a new JVM, checks what it prints, creates a VM through the SDK and opens an ssh session
     * to it.
     *
     * @param expectedWorkDir the work directory Main was given, or {@code null}
     */
    private static RunningMain startMain(List<String> options, Path expectedWorkDir) throws Exception {
        String name = "main-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Path stdout = temp.resolve(name + ".out");
        Path stderr = temp.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(options);
        Instant launched = Instant.now();
        Process main = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            MainOutput printed = MainOutput.await(main, stdout, stderr, STARTUP);
            Path workDir = workDir(printed.caCertificate());
            if (expectedWorkDir != null) {
                assertThat(workDir).isEqualTo(expectedWorkDir.toAbsolutePath().normalize());
            }
            assertThat(printed.trustStore()).isEqualTo(workDir.resolve("tls/truststore.p12"));
            X509Certificate ca = checkCaCertificate(printed);
            SSLContext tls = Sdk.trusting(printed.trustStore(), printed.trustStorePassword());
            checkRefusesRequestsWithoutToken(printed, tls);
            System.out.printf("Main (%s): started and answering in %d ms%n", ca.getSubjectX500Principal(),
                    Duration.between(launched, Instant.now()).toMillis());

            Vm vm = createVm(Sdk.compute(printed.endpoint(), printed.subscriptionId(), tls), "vm-" + name);
            String marker = "600." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
            Process session = openSession(vm.ip(), "echo started; exec sleep " + marker);
            try {
                assertThat(awaitSessionSleep(marker)).as("the session's sleep").hasSize(1);
                return new RunningMain(main, workDir, vm, session, marker, sshdPidNamespace(workDir));
            } catch (RuntimeException | Error e) {
                session.destroyForcibly();
                throw e;
            }
        } catch (Exception | Error e) {
            main.destroyForcibly();
            throw e;
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " " + pid)
                .isTrue();
    }

    /** The work directory holds the TLS material in {@code tls/}. */
    private static Path workDir(Path caCertificate) {
        assertThat(caCertificate).isAbsolute();
        assertThat(caCertificate.getParent().getFileName()).hasToString("tls");
        return caCertificate.getParent().getParent();
    }

    /** The CA file is one PEM certificate, a CA's, the one in the trust store. */
    private static X509Certificate checkCaCertificate(MainOutput printed) throws Exception {
        String pem = Files.readString(printed.caCertificate(), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----\n");
        X509Certificate ca;
        try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(ca.getBasicConstraints()).as("basic constraints: a CA").isGreaterThanOrEqualTo(0);
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(printed.trustStore())) {
            trustStore.load(in, printed.trustStorePassword().toCharArray());
        }
        assertThat(trustStore.size()).isEqualTo(1);
        assertThat(trustStore.getCertificate(trustStore.aliases().nextElement())).isEqualTo(ca);
        return ca;
    }

    /** HTTPS trusting the printed CA (and only then) reaches the endpoint, which wants a token. */
    private static void checkRefusesRequestsWithoutToken(MainOutput printed, SSLContext tls) throws Exception {
        assertThat(printed.endpoint().getScheme()).isEqualTo("https");
        assertThat(printed.endpoint().getHost()).isEqualTo("127.0.0.1");
        HttpRequest request = HttpRequest.newBuilder(printed.endpoint().resolve(
                "subscriptions/" + printed.subscriptionId() + "/resourcegroups?api-version=2021-04-01")).build();

        HttpResponse<String> response = HttpClient.newBuilder().sslContext(tls).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"AuthenticationFailed\"");
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .as("the JDK's default trust").isInstanceOf(SSLHandshakeException.class);
    }

    /** A VM's name and public IP. */
    record Vm(String name, String ip) {}

    private static Vm createVm(ComputeManager compute, String name) throws IOException {
        Instant start = Instant.now();
        if (!compute.resourceManager().resourceGroups().contain(GROUP)) {
            compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();
        }
        String ip = Sdk.createVm(compute, GROUP, name, ADMIN, List.of(Files.readString(Path.of(key + ".pub"))))
                .getPrimaryPublicIPAddress().ipAddress();
        assertThat(ip).matches("127\\.0\\.0\\.\\d+");
        assertThat(accepts(new InetSocketAddress(ip, 22))).as("sshd of " + name + " listens").isTrue();
        System.out.printf("VM %s on %s: created through the SDK in %d ms%n", name, ip,
                Duration.between(start, Instant.now()).toMillis());
        return new Vm(name, ip);
    }

    /** Starts a real ssh session to the VM and waits until its command printed "started". */
    private static Process openSession(String ip, String remoteCommand) throws Exception {
        Path out = Files.createTempFile(temp, "session", ".out");
        Path err = Files.createTempFile(temp, "session", ".err");
        Process session = new ProcessBuilder("ssh", "-F", "/dev/null", "-i", key.toString(),
                        "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5",
                        ADMIN + "@" + ip, remoteCommand)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.readString(out).equals("started\n")) {
            if (!session.isAlive() || Instant.now().isAfter(deadline)) {
                session.destroyForcibly();
                fail("ssh session to %s did not start: %s", ip, Files.readString(err));
            }
            Thread.sleep(20);
        }
        return session;
    }

    /** The PID namespace, not ours, of the processes whose command line names {@code workDir}: the VM's sshd's. */
    private static String sshdPidNamespace(Path workDir) throws IOException {
        String ours = Machine.pidNamespace(ProcessHandle.current().pid());
        Set<String> namespaces = processesMentioning(workDir.toString()).stream()
                .map(Machine::pidNamespace)
                .filter(namespace -> !namespace.isEmpty() && !namespace.equals(ours))
                .collect(Collectors.toSet());
        assertThat(namespaces).hasSize(1);
        String namespace = namespaces.iterator().next();
        assertThat(processesInPidNamespace(namespace)).as("sshd, its per-connection children and the sleep")
                .hasSizeGreaterThanOrEqualTo(3);
        return namespace;
    }

    /** Waits until nothing remains of the emulator but the processes {@code except}. */
    private static void awaitNoLeftovers(RunningMain running, Set<Long> except) throws Exception {
        Instant deadline = Instant.now().plus(CLEANUP);
        while (true) {
            List<String> left = leftovers(running.workDir(), running.vm(), running.marker(), running.sshdNamespace(),
                    except);
            if (left.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("within %s, these remain:%n%s", CLEANUP, String.join("\n", left));
            }
            Thread.sleep(20);
        }
    }

    /** What still remains of an emulator: processes, a listening VM, files. Empty once it is all gone. */
    private static List<String> leftovers(Path workDir, Vm vm, String marker, String sshdNamespace,
            Set<Long> except) throws IOException {
        List<String> left = new ArrayList<>();
        for (long pid : alive(processesMentioning(workDir.toString()))) {
            if (except.contains(pid)) {
                continue;
            }
            left.add("process " + pid + " naming the work directory: " + abbreviated(Machine.cmdline(pid)));
        }
        if (sshdNamespace != null) {
            for (long pid : alive(processesInPidNamespace(sshdNamespace))) {
                left.add("process " + pid + " in the VM's PID namespace: " + abbreviated(Machine.cmdline(pid)));
            }
        }
        if (marker != null) {
            for (long pid : alive(sessionSleeps(marker))) {
                left.add("the session's process " + pid + ": " + abbreviated(Machine.cmdline(pid)));
            }
        }
        if (vm != null && accepts(new InetSocketAddress(vm.ip(), 22))) {
            left.add("VM " + vm.name() + " still accepts connections on " + vm.ip() + ":22");
        }
        if (Files.exists(workDir)) {
            try (var files = Files.walk(workDir)) {
                files.forEach(file -> left.add("file " + file));
            } catch (IOException | java.io.UncheckedIOException e) {
                // being deleted while we look
                left.add("work directory " + workDir + " (" + e + ")");
            }
        }
        return left;
    }

    /**
     * The processes that are not zombies. After a SIGKILL, the VM's sshd (its PID namespace's init) is a zombie until
     * PID 1 reaps it, since its parent, {@code unshare}, was killed too: a second or so here, forever in a container
     * whose PID 1 does not reap. A zombie holds no port, file nor memory.
     */
    private static List<Long> alive(List<Long> pids) {
        return pids.stream().filter(pid -> !isZombie(pid)).toList();
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // PID (COMM) STATE …: COMM may hold spaces and parentheses
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false; // gone; Machine's listing may still name it, cmdline will be empty
        }
    }

    private static String abbreviated(String cmdline) {
        return cmdline.length() <= 200 ? cmdline : cmdline.substring(0, 200) + "…";
    }

    /**
     * The session's {@code sleep MARKER} processes, once there is one (within 10 s): the remote shell prints
     * "started" before it execs sleep, so under load the sleep may not be there yet when "started" is read.
     */
    private static List<Long> awaitSessionSleep(String marker) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        List<Long> sleeps = sessionSleeps(marker);
        while (sleeps.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            sleeps = sessionSleeps(marker);
        }
        return sleeps;
    }

    /** The {@code sleep MARKER} processes (not the ssh client, whose command line names it too). */
    private static List<Long> sessionSleeps(String marker) throws IOException {
        return processesMentioning(marker).stream()
                .filter(pid -> Machine.cmdline(pid).equals("sleep " + marker + " "))
                .toList();
    }

    private static boolean accepts(URI endpoint) throws IOException {
        return accepts(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
    }

    private static boolean accepts(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (SocketException refusedOrResetWhileClosing) {
            return false;
        }
    }
}
