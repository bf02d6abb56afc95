package io.jenkins.plugins.azuresshvm.emulator.vm;

import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.assumeVmRequirements;
import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.processesInPidNamespace;
import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.processesMentioning;
import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.run;
import static io.jenkins.plugins.azuresshvm.emulator.vm.Machine.ssh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshdVmRuntime} against the real OpenSSH tools. Needs root, openssh-server, libnss-wrapper, util-linux. */
class SshdVmRuntimeTest {

    private static final String ADMIN = "azureuser";

    @TempDir
    static Path temp;

    private static SshdVmRuntime runtime;
    private static Path adminKey;
    private static Path otherKey;
    /** A VM that the tests only look at. */
    private static LinuxVm shared;
    private static Path sharedKnownHosts;

    @BeforeAll
    static void startRuntime() throws Exception {
        assumeVmRequirements();
        adminKey = Machine.keyPair(temp, "admin");
        otherKey = Machine.keyPair(temp, "other");
        runtime = SshdVmRuntime.start(temp.resolve("runtime"));
        shared = create("shared", "127.0.0.200");
        sharedKnownHosts = knownHosts(shared);
    }

    @AfterAll
    static void closeRuntime() throws IOException {
        if (runtime != null) {
            runtime.close();
            assertThat(runtime.workDir()).doesNotExist();
            assertThat(processesMentioning(runtime.workDir().toString())).isEmpty();
        }
    }

    private static LinuxVm create(String name, String ip) throws IOException {
        Instant start = Instant.now();
        LinuxVm vm = runtime.create(new VmSpec(name, ip, ADMIN, List.of(publicKey(adminKey))));
        System.out.printf("VM %s: create -> sshd listening in %d ms%n", name,
                Duration.between(start, Instant.now()).toMillis());
        return vm;
    }

    private static String publicKey(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    /** A known_hosts file with the VM's reported host keys. */
    private static Path knownHosts(LinuxVm vm) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String key : vm.reportedHostKeys().values()) {
            lines.add(vm.ipAddress() + " " + key);
        }
        return Files.write(temp.resolve(vm.name() + ".known_hosts"), lines);
    }

    /** "TYPE BASE64" of each host key ssh-keyscan gets, by key type name (rsa, ecdsa, ed25519). */
    private static Map<String, String> keyscan(LinuxVm vm) throws Exception {
        Machine.Result scan = run(List.of("ssh-keyscan", "-p", "22", vm.ipAddress()));
        return scan.stdout().lines()
                .map(line -> line.split(" "))
                .collect(Collectors.toMap(f -> typeName(f[1]), f -> f[1] + " " + f[2]));
    }

    /** The reported host keys as "TYPE BASE64" (without comment). */
    private static Map<String, String> reported(LinuxVm vm) throws IOException {
        return vm.reportedHostKeys().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> String.join(" ", Arrays.copyOf(e.getValue().split(" "), 2))));
    }

    private static String typeName(String sshType) {
        return sshType.equals("ssh-rsa") ? "rsa" : sshType.startsWith("ecdsa-") ? "ecdsa" : "ed25519";
    }

    private static String fingerprint(String keyLine) throws Exception {
        Path file = Files.writeString(Files.createTempFile(temp, "key", ".pub"), keyLine + "\n");
        return run(List.of("ssh-keygen", "-lf", file.toString())).stdout().split(" ")[1];
    }

    @Test
    void sshKeyscanSeesExactlyTheThreeReportedHostKeys() throws Exception {
        assertThat(shared.reportedHostKeys()).containsOnlyKeys("rsa", "ecdsa", "ed25519");
        assertThat(shared.reportedHostKeys().get("rsa")).startsWith("ssh-rsa ").endsWith(" root@shared");
        assertThat(keyscan(shared)).isEqualTo(reported(shared));
        assertThat(run(List.of("ssh-keygen", "-lf", HostKeys.publicKey(
                ((SshdVm) shared).directory().resolve("etc/ssh"), "rsa").toString())).stdout()).startsWith("3072 ");
    }

    @Test
    void adminLogsInWithAnAuthorizedKeyOnly() throws Exception {
        Machine.Result login = run(ssh(adminKey, sharedKnownHosts, ADMIN + "@127.0.0.200", "echo hello from $USER"));
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).isEqualTo("hello from " + ADMIN + "\n");

        Machine.Result otherKeyLogin = run(ssh(otherKey, sharedKnownHosts, ADMIN + "@127.0.0.200", "true"));
        assertThat(otherKeyLogin.exitCode()).isEqualTo(255);
        assertThat(otherKeyLogin.stderr()).contains("Permission denied (publickey)");

        Machine.Result rootLogin = run(ssh(adminKey, sharedKnownHosts, "root@127.0.0.200", "true"));
        assertThat(rootLogin.exitCode()).isEqualTo(255);
        assertThat(rootLogin.stderr()).contains("Permission denied (publickey)");
    }

    @Test
    void runShellScriptSeesTheVmsOwnHostKeys() throws Exception {
        LinuxVm.ScriptResult result =
                shared.runShellScript("ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub", Duration.ofSeconds(10));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String scanned = fingerprint(shared.ipAddress() + " " + keyscan(shared).get("ecdsa"));
        assertThat(result.stdout()).startsWith("256 " + scanned + " root@shared (ECDSA)");
        Path machineKey = Path.of("/etc/ssh/ssh_host_ecdsa_key.pub");
        if (Files.exists(machineKey)) {
            assertThat(fingerprint(Files.readString(machineKey).strip())).isNotEqualTo(scanned);
        }
    }

    @Test
    void runShellScriptRunsBashAsRootWithMinimalPathAndReturnsEverything() throws Exception {
        String script = """
                echo "it's \\"quoted\\": \\$HOME stays"
                echo "$PATH"
                id -u
                [ -n "$BASH_VERSION" ] && echo bash
                echo to stderr >&2
                exit 3
                """;

        LinuxVm.ScriptResult result = shared.runShellScript(script, Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout().lines())
                .containsExactly("it's \"quoted\": $HOME stays", "/usr/sbin:/usr/bin:/sbin:/bin", "0", "bash");
        assertThat(result.stderr()).isEqualTo("to stderr\n");
    }

    @Test
    void runShellScriptKillsTheWholeProcessTreeAtTheTimeout() throws Exception {
        String marker = "1234.5" + ProcessHandle.current().pid();
        Instant start = Instant.now();

        LinuxVm.ScriptResult result = shared.runShellScript(
                "setsid sleep " + marker + " &\nnohup sleep " + marker + " &\necho started\nsleep 60\n",
                Duration.ofSeconds(1));

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(processesMentioning("sleep " + marker)).isEmpty();
    }

    @Test
    void presentForeignHostKeysSwapsOnlyWhatSshdPresents() throws Exception {
        LinuxVm vm = create("mitm", "127.0.0.201");
        try {
            Map<String, String> original = reported(vm);

            vm.presentForeignHostKeys(Set.of("ecdsa"));

            Map<String, String> presented = keyscan(vm);
            assertThat(presented.get("ecdsa")).startsWith("ecdsa-sha2-nistp256 ").isNotEqualTo(original.get("ecdsa"));
            assertThat(presented.get("rsa")).isEqualTo(original.get("rsa"));
            assertThat(presented.get("ed25519")).isEqualTo(original.get("ed25519"));
            assertThat(reported(vm)).isEqualTo(original);
            assertThat(vm.runShellScript("cat /etc/ssh/ssh_host_ecdsa_key.pub", Duration.ofSeconds(10)).stdout())
                    .startsWith(original.get("ecdsa") + " ");

            vm.presentForeignHostKeys(Set.of());

            assertThat(keyscan(vm)).isEqualTo(original);
        } finally {
            runtime.delete("mitm");
        }
    }

    @Test
    void aVmWhoseSshdCannotListenFailsWithSshdsWordsAndLeavesNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(22, 1, InetAddress.getByName("127.0.0.204"))) {
            assertThatThrownBy(() -> create("unlucky", "127.0.0.204"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("sshd of VM unlucky is not listening on 127.0.0.204:22")
                    .hasMessageContaining("Bind to port 22 on 127.0.0.204 failed: Address already in use");
        }
        assertThat(runtime.workDir().resolve("vms/unlucky")).doesNotExist();
        assertThat(processesMentioning(runtime.workDir().resolve("vms/unlucky").toString())).isEmpty();
    }

    @Test
    void deleteEndsSshdWithItsOpenSessionsAndRemovesTheFiles() throws Exception {
        LinuxVm vm = create("doomed", "127.0.0.202");
        Path dir = ((SshdVm) vm).directory();
        Process session = openSession(ssh(adminKey, knownHosts(vm), ADMIN + "@127.0.0.202",
                "echo started; exec sleep 1000"));
        try {
            String namespace = sshdPidNamespace(dir);

            runtime.delete("doomed");

            assertThat(session.waitFor(5, TimeUnit.SECONDS)).as("ssh session ended").isTrue();
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.202", 22), 1000))
                    .isInstanceOf(ConnectException.class);
            assertThat(processesMentioning(dir.toString())).isEmpty();
            assertThat(processesInPidNamespace(namespace)).isEmpty();
            assertThat(dir).doesNotExist();
            runtime.delete("doomed");
        } finally {
            session.destroyForcibly();
        }
    }

    @Test
    void aKilledJvmLeavesNoProcessOrFileBehind() throws Exception {
        Path workDir = temp.resolve("killed-runtime");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                        "-cp", System.getProperty("java.class.path"), VmRuntimeChild.class.getName(),
                        workDir.toString(), "127.0.0.203", adminKey + ".pub")
                .redirectErrorStream(true)
                .start();
        Process session = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            session = openSession(List.of("ssh", "-F", "/dev/null", "-i", adminKey.toString(), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    ADMIN + "@127.0.0.203", "echo started; exec sleep 1000"));
            String namespace = sshdPidNamespace(workDir);

            child.destroyForcibly();
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();

            awaitTrue(() -> processesMentioning(workDir.toString()).isEmpty()
                    && processesInPidNamespace(namespace).isEmpty()
                    && !Files.exists(workDir));
            assertThat(session.waitFor(5, TimeUnit.SECONDS)).as("ssh session ended").isTrue();
        } finally {
            child.destroyForcibly();
            if (session != null) {
                session.destroyForcibly();
            }
        }
    }

    /** Starts ssh and waits until the remote command printed "started". */
    private static Process openSession(List<String> ssh) throws IOException {
        Process session = new ProcessBuilder(ssh).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("started");
        return session;
    }

    /** The PID namespace, not ours, of the processes whose command line names {@code dir}: the sshd's. */
    private static String sshdPidNamespace(Path dir) throws IOException {
        String ours = Machine.pidNamespace(ProcessHandle.current().pid());
        Set<String> namespaces = processesMentioning(dir.toString()).stream()
                .map(Machine::pidNamespace)
                .filter(namespace -> !namespace.equals(ours))
                .collect(Collectors.toSet());
        assertThat(namespaces).hasSize(1);
        String namespace = namespaces.iterator().next();
        assertThat(processesInPidNamespace(namespace)).as("sshd and the session's processes").hasSizeGreaterThan(2);
        return namespace;
    }

    private interface Condition {
        boolean holds() throws IOException;
    }

    private static void awaitTrue(Condition condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!condition.holds()) {
            assertThat(Instant.now()).as("condition within 5 s").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
