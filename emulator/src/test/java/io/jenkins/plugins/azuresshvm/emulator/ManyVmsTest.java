package io.jenkins.plugins.azuresshvm.emulator;

import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.processesMentioning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import io.jenkins.plugins.azuresshvm.emulator.vm.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty VMs created at once through the real SDK against {@link Main} in its own JVM: each comes up with a real sshd
 * presenting host keys of its own, and once all are deleted no sshd and no file of theirs remains. Prints the wall
 * times and the emulator's peak memory. Needs root, openssh-server, libnss-wrapper and util-linux: skipped without
 * them, failed under {@code CI=true}.
 */
class ManyVmsTest {

    private static final int VMS = 50;
    private static final String GROUP = "rg-many";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CLEANUP = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    @Test
    void fiftyVmsComeUpConcurrentlyWithKeysOfTheirOwnAndLeaveNothingBehind() throws Exception {
        Machine.assumeVmRequirements();
        String authorized = Files.readString(Path.of(Machine.keyPair(temp, "admin") + ".pub")).strip();
        Path workDir = temp.resolve("emulator");
        Instant launched = Instant.now();
        Process main = startMain(workDir);
        ExecutorService clients = Executors.newFixedThreadPool(VMS);
        try {
            MainOutput printed = MainOutput.await(main, temp.resolve("main.out"), temp.resolve("main.err"), STARTUP);
            ComputeManager compute = Sdk.compute(printed.endpoint(), printed.subscriptionId(),
                    Sdk.trusting(printed.trustStore(), printed.trustStorePassword()));
            compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();

            Instant creating = Instant.now();
            List<VirtualMachine> vms = all(clients, IntStream.range(0, VMS).mapToObj(i -> "vm-" + i).toList(),
                    name -> Sdk.createVm(compute, GROUP, name, "azureuser", List.of(authorized)));
            Duration created = Duration.between(creating, Instant.now());
            Instant scanning = Instant.now();

            Map<String, String> ipByName = vms.stream().collect(Collectors.toMap(VirtualMachine::name,
                    vm -> vm.getPrimaryPublicIPAddress().ipAddress()));
            assertThat(new HashSet<>(ipByName.values())).hasSize(VMS);
            Set<String> presented = presentedEd25519Keys(ipByName.values());
            Set<String> expected = new HashSet<>();
            Set<String> allKeys = new HashSet<>();
            for (String name : ipByName.keySet()) {
                Path etcSsh = workDir.resolve("vms").resolve(name).resolve("etc/ssh");
                for (String type : List.of("rsa", "ecdsa", "ed25519")) {
                    allKeys.add(keyOf(Files.readString(etcSsh.resolve("ssh_host_" + type + "_key.pub"))));
                }
                expected.add(ipByName.get(name) + " "
                        + keyOf(Files.readString(etcSsh.resolve("ssh_host_ed25519_key.pub"))));
            }
            assertThat(presented).as("every sshd presents the Ed25519 key in its VM's /etc/ssh").isEqualTo(expected);
            assertThat(allKeys).as("no two VMs share a key").hasSize(3 * VMS);
            Duration scanned = Duration.between(scanning, Instant.now());
            long peakKib = status(main.pid(), "VmHWM");
            List<Long> sshds = sshds(workDir);
            long sshdRssKib = 0;
            for (long pid : sshds) {
                sshdRssKib += status(pid, "VmRSS");
            }

            Instant deleting = Instant.now();
            all(clients, vms, vm -> {
                compute.virtualMachines().deleteById(vm.id());
                return vm;
            });
            Duration deleted = Duration.between(deleting, Instant.now());
            awaitGone(workDir);
            compute.resourceManager().resourceGroups().deleteByName(GROUP);

            System.out.printf("%d VMs: emulator JVM answering after %d ms; created concurrently through the SDK in"
                            + " %d ms; their Ed25519 keys scanned in %d ms; deleted in %d ms; %d ms in all%n", VMS,
                    Duration.between(launched, creating).toMillis(), created.toMillis(), scanned.toMillis(),
                    deleted.toMillis(), Duration.between(launched, Instant.now()).toMillis());
            System.out.printf("emulator JVM peak RSS (VmHWM) %d MiB; %d sshd processes, together %d MiB RSS%n",
                    peakKib / 1024, sshds.size(), sshdRssKib / 1024);
            assertThat(sshds).hasSize(VMS);
        } finally {
            clients.shutdownNow();
            main.destroy();
            if (!main.waitFor(20, TimeUnit.SECONDS)) {
                main.destroyForcibly();
            }
        }
        assertThat(workDir).as("the emulator's files after SIGTERM").doesNotExist();
    }

    private Process startMain(Path workDir) throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--work-dir", workDir.toString(), "--host-key-pool", Integer.toString(VMS));
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(temp.resolve("main.out").toFile())
                .redirectError(temp.resolve("main.err").toFile())
                .start();
    }

    /** Runs {@code action} on every item at once; returns the results in order, failing on the first failure. */
    private static <T, R> List<R> all(ExecutorService threads, List<T> items, Function<T, R> action)
            throws Exception {
        List<Future<R>> futures = items.stream().map(item -> threads.submit(() -> action.apply(item))).toList();
        List<R> results = new ArrayList<>();
        for (Future<R> future : futures) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    /** The Ed25519 host keys the sshds present, as {@code IP TYPE BASE64}, from one ssh-keyscan of every address. */
    private Set<String> presentedEd25519Keys(Iterable<String> ips) throws Exception {
        Path hosts = Files.write(temp.resolve("hosts"), ips);
        Process scan = new ProcessBuilder("ssh-keyscan", "-T", "10", "-t", "ed25519", "-f", hosts.toString())
                .redirectInput(Path.of("/dev/null").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stdout = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!scan.waitFor(60, TimeUnit.SECONDS)) {
            scan.destroyForcibly();
            fail("ssh-keyscan did not finish within 60 s");
        }
        return stdout.lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf(' ')) + " " + keyOf(line.substring(line.indexOf(' ') + 1)))
                .collect(Collectors.toSet());
    }

    /** {@code TYPE BASE64} of a public key line, without its comment. */
    private static String keyOf(String line) {
        String[] fields = line.strip().split(" ");
        return fields[0] + " " + fields[1];
    }

    /** The emulator's sshd processes: those whose command line names its work directory. */
    private static List<Long> sshds(Path workDir) throws IOException {
        return processesMentioning(workDir.toString()).stream()
                .filter(pid -> Machine.cmdline(pid).startsWith("sshd: ") // as sshd titles itself
                        || Machine.cmdline(pid).startsWith("/usr/sbin/sshd "))
                .toList();
    }

    /** A {@code /proc/PID/status} figure in KiB, e.g. {@code VmHWM}. */
    private static long status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow(() -> new IOException("no " + field + " in /proc/" + pid + "/status"));
    }

    /** Waits until no sshd of the emulator runs and no VM has files left. */
    private static void awaitGone(Path workDir) throws Exception {
        Instant deadline = Instant.now().plus(CLEANUP);
        while (true) {
            List<Long> sshds = sshds(workDir);
            List<String> files;
            try (var listing = Files.list(workDir.resolve("vms"))) {
                files = listing.map(Path::toString).toList();
            }
            if (sshds.isEmpty() && files.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("after deleting every VM, %d sshd processes and these VM directories remain: %s", sshds.size(),
                        files);
            }
            Thread.sleep(20);
        }
    }
}
