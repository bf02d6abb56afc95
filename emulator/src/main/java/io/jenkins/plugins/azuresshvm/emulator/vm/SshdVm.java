package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An emulated Linux VM: a real OpenSSH {@code sshd} on {@code ipAddress:sshPort} (22 unless customData moved it), and
 * everything else in one directory:
 * <pre>
 * etc/ssh/                 the VM's /etc/ssh (host keys from the pool or customData, moduli): what run-command sees
 * etc/ssh/sshd_config.d/   the drop-ins customData wrote; sshd takes only their Port (already in sshd/sshd_config)
 * sshd/                    sshd_config, the host keys sshd presents, nss_wrapper passwd/group, sshd.log (timestamped)
 * home/USER/.ssh/authorized_keys
 * run-command/N/           a running script with its output
 * </pre>
 * sshd and scripts run as {@link VmProcess}es. The admin user exists only for sshd, through nss_wrapper, as uid 0.
 */
final class SshdVm implements LinuxVm {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern DROP_IN = Pattern.compile("[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*\\.conf");
    private static final Pattern LOOPBACK = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String LISTENING = "Server listening on ";
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);

    private final VmSpec spec;
    private final Path dir;
    private final Watchdog watchdog;
    private final HostKeyPool hostKeyPool;
    /** The types of the host keys it has, in {@link HostKeys#TYPES} order; set once its files are written. */
    private List<String> hostKeyTypes = List.of();
    private final Set<VmProcess> scripts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger runs = new AtomicInteger();
    private VmProcess sshd;
    private Thread logCopier;
    private boolean deleted;

    private SshdVm(VmSpec spec, Path dir, Watchdog watchdog, HostKeyPool hostKeyPool) {
        this.spec = spec;
        this.dir = dir;
        this.watchdog = watchdog;
        this.hostKeyPool = hostKeyPool;
    }

    /** Checks {@code spec} and fails naming what is wrong with it. */
    static void validate(VmSpec spec) {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw new IllegalArgumentException("VM name " + spec.name()
                    + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        var ip = LOOPBACK.matcher(String.valueOf(spec.ipAddress()));
        if (!ip.matches() || Stream.of(ip.group(1), ip.group(2), ip.group(3)).anyMatch(b -> Integer.parseInt(b) > 255)) {
            throw new IllegalArgumentException("VM " + spec.name() + ": IP address " + spec.ipAddress()
                    + " is not a loopback address 127.x.y.z");
        }
        if (spec.adminUsername() == null || !USER.matcher(spec.adminUsername()).matches()
                || spec.adminUsername().equals("sshd")) {
            throw new IllegalArgumentException("VM " + spec.name() + ": admin user name " + spec.adminUsername()
                    + " must match " + USER + " and not be sshd");
        }
        if (spec.authorizedKeys().stream().anyMatch(key -> key.contains("\n"))) {
            throw new IllegalArgumentException("VM " + spec.name() + ": an authorized key contains a line break");
        }
        if (spec.sshPort() < 1 || spec.sshPort() > 65535) {
            throw new IllegalArgumentException("VM " + spec.name() + ": SSH port " + spec.sshPort()
                    + " is not a TCP port 1-65535");
        }
        spec.sshdDropIns().keySet().stream().filter(file -> !DROP_IN.matcher(file).matches()).findFirst()
                .ifPresent(file -> {
                    throw new IllegalArgumentException("VM " + spec.name() + ": sshd drop-in name " + file
                            + " must match " + DROP_IN);
                });
    }

    /**
     * Creates the VM's files in {@code dir} (which must not exist), its host keys from {@code spec} or else from
     * {@code hostKeyPool}, and starts its sshd; returns once it listens.
     */
    static SshdVm boot(VmSpec spec, Path dir, Watchdog watchdog, HostKeyPool hostKeyPool) throws IOException {
        validate(spec);
        SshdVm vm = new SshdVm(spec, dir, watchdog, hostKeyPool);
        try {
            vm.writeFiles();
            vm.startSshd();
            return vm;
        } catch (IOException | RuntimeException e) {
            try {
                vm.destroy();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Path etcSsh() {
        return dir.resolve("etc/ssh");
    }

    private Path sshdDir() {
        return dir.resolve("sshd");
    }

    private Path home() {
        return dir.resolve("home").resolve(spec.adminUsername());
    }

    private Path log() {
        return sshdDir().resolve("sshd.log");
    }

    private void writeFiles() throws IOException {
        Files.createDirectory(dir);
        Files.createDirectories(etcSsh());
        Files.createDirectory(sshdDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (spec.hostKeys().isEmpty()) {
            hostKeyPool.takeInto(etcSsh(), "root@" + spec.name());
        } else {
            HostKeys.install(etcSsh(), spec.hostKeys());
        }
        hostKeyTypes = HostKeys.present(etcSsh());
        HostKeys.copy(etcSsh(), sshdDir(), hostKeyTypes);
        writeSshdDropIns();
        Path moduli = Path.of("/etc/ssh/moduli");
        if (Files.isRegularFile(moduli)) {
            Files.copy(moduli, etcSsh().resolve("moduli"));
        }

        Path ssh = Files.createDirectories(home().resolve(".ssh"));
        Files.setPosixFilePermissions(home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Files.write(ssh.resolve("authorized_keys"), spec.authorizedKeys());

        String sshdUser = systemLine(Path.of("/etc/passwd"), "sshd", 0);
        Files.writeString(sshdDir().resolve("passwd"), spec.adminUsername() + ":x:0:0:" + spec.adminUsername() + ":"
                + home() + ":/bin/sh\n" + sshdUser + "\n");
        Files.writeString(sshdDir().resolve("group"),
                "root:x:0:\n" + systemLine(Path.of("/etc/group"), sshdUser.split(":")[3], 2) + "\n");

        List<String> config = new ArrayList<>(List.of(
                "# sshd of emulated VM " + spec.name(),
                "ListenAddress " + address(),
                "AddressFamily inet"));
        hostKeyTypes.forEach(type -> config.add("HostKey " + HostKeys.privateKey(sshdDir(), type)));
        config.addAll(List.of(
                "PidFile none",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowUsers " + spec.adminUsername(),
                "AuthorizedKeysFile .ssh/authorized_keys",
                "UseDNS no",
                "LogLevel VERBOSE",
                "PrintMotd no",
                "Subsystem sftp internal-sftp"));
        Files.write(sshdDir().resolve("sshd_config"), config);
    }

    /** {@code etc/ssh/sshd_config.d/}, owner-only, with the drop-ins 0644 as cloud-init writes them by default. */
    private void writeSshdDropIns() throws IOException {
        if (spec.sshdDropIns().isEmpty()) {
            return;
        }
        Path dropIns = Files.createDirectory(etcSsh().resolve("sshd_config.d"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (Map.Entry<String, String> file : spec.sshdDropIns().entrySet()) {
            Path written = Files.writeString(dropIns.resolve(file.getKey()), file.getValue());
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** {@code ip:port} where sshd listens. */
    private String address() {
        return spec.ipAddress() + ":" + spec.sshPort();
    }

    /** The line of {@code file} whose {@code field} (0 = name, 2 = id) is {@code value}: sshd's user or group. */
    private static String systemLine(Path file, String value, int field) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> line.split(":").length > field && line.split(":")[field].equals(value))
                .findFirst()
                .orElseThrow(() -> new IOException("No entry " + value + " in " + file
                        + ", needed for sshd's privilege separation user (Debian package openssh-server)"));
    }

    private void startSshd() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Requirements.SSHD.toString(), "-D", "-e", "-f", sshdDir().resolve("sshd_config").toString())
                .directory(sshdDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Map.of(
                "PATH", PATH,
                "LD_PRELOAD", Requirements.nssWrapper().toString(),
                "NSS_WRAPPER_PASSWD", sshdDir().resolve("passwd").toString(),
                "NSS_WRAPPER_GROUP", sshdDir().resolve("group").toString()));
        sshd = VmProcess.start("sshd of VM " + spec.name(), etcSsh(), builder, watchdog);
        logCopier = TimestampedLog.copy("sshd log of VM " + spec.name(), sshd.output(), log());
        awaitListening(0);
    }

    /** Waits until sshd.log, from byte {@code offset} on, says sshd listens. */
    private void awaitListening(long offset) throws IOException {
        Instant deadline = Instant.now().plus(LISTEN_TIMEOUT);
        while (true) {
            byte[] log = Files.readAllBytes(log());
            String news = new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
            if (news.contains(LISTENING)) {
                return;
            }
            boolean exited = !sshd.isAlive();
            if (exited || Instant.now().isAfter(deadline)) {
                if (exited) {
                    // its last words may still be on their way into the log
                    joinQuietly(logCopier, Duration.ofSeconds(2));
                    log = Files.readAllBytes(log());
                    news = new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
                }
                throw new IOException("sshd of VM " + spec.name() + " is not listening on " + address()
                        + " (" + (exited ? "exited" : "still starting after " + LISTEN_TIMEOUT.toSeconds() + " s")
                        + "); " + log() + " says: " + news.strip());
            }
            sleep(5);
        }
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String ipAddress() {
        return spec.ipAddress();
    }

    /** The VM's directory. */
    Path directory() {
        return dir;
    }

    @Override
    public Map<String, String> reportedHostKeys() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String type : HostKeys.TYPES) {
            Path pub = HostKeys.publicKey(etcSsh(), type);
            if (Files.isRegularFile(pub)) {
                keys.put(type, Files.readString(pub).strip());
            }
        }
        return keys;
    }

    @Override
    public synchronized void presentForeignHostKeys(Set<String> types) throws IOException {
        Set<String> foreign = types.stream().filter(hostKeyTypes::contains).collect(Collectors.toSet());
        if (foreign.isEmpty() && !types.isEmpty()) {
            throw new IllegalArgumentException("VM " + spec.name() + " has no host key of types "
                    + types.stream().sorted().toList() + "; it has: " + hostKeyTypes);
        }
        checkRunning();
        Path next = Files.createDirectory(sshdDir().resolve("next"));
        try {
            HostKeys.copy(etcSsh(), next, hostKeyTypes.stream().filter(t -> !foreign.contains(t)).toList());
            HostKeys.generate(next, foreign, "root@" + spec.name());
            HostKeys.move(next, sshdDir(), hostKeyTypes);
        } finally {
            FileTrees.delete(next);
        }
        long offset = Files.size(log());
        reloadSshd();
        awaitListening(offset);
    }

    /** SIGHUP: sshd re-executes itself, rereading its config and host keys; open sessions stay. */
    private void reloadSshd() throws IOException {
        try {
            Process kill = new ProcessBuilder("/bin/kill", "-HUP", Long.toString(sshd.pid()))
                    .redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IOException("Could not SIGHUP sshd of VM " + spec.name() + " (PID " + sshd.pid() + "): "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public List<SshConnection> sshConnections() throws IOException {
        synchronized (this) {
            checkRunning();
        }
        return TimestampedLog.connections(log());
    }

    @Override
    public ScriptResult runShellScript(String script, Duration timeout) throws IOException {
        Path run;
        VmProcess process;
        synchronized (this) {
            checkRunning();
            run = Files.createDirectories(dir.resolve("run-command").resolve(Integer.toString(runs.getAndIncrement())));
            Path file = Files.writeString(run.resolve("script.sh"), script);
            ProcessBuilder builder = new ProcessBuilder(Requirements.BASH.toString(), file.toString())
                    .directory(run.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(run.resolve("stdout").toFile())
                    .redirectError(run.resolve("stderr").toFile());
            builder.environment().clear();
            builder.environment().putAll(Map.of("PATH", PATH, "HOME", "/root"));
            process = VmProcess.start("script " + file + " of VM " + spec.name(), etcSsh(), builder, watchdog);
            scripts.add(process);
        }
        try {
            boolean finished = process.waitFor(timeout);
            if (!finished) {
                process.kill();
            }
            synchronized (this) {
                checkRunning();
                return new ScriptResult(finished ? process.exitCode() : -1,
                        read(run.resolve("stdout")), read(run.resolve("stderr")));
            }
        } finally {
            process.kill();
            scripts.remove(process);
            FileTrees.delete(run);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private void checkRunning() throws IOException {
        if (deleted) {
            throw new IOException("VM " + spec.name() + " has been deleted");
        }
    }

    /** Kills sshd with all its sessions and any running script, then deletes the VM's directory. */
    synchronized void destroy() throws IOException {
        deleted = true;
        List<IOException> failures = new ArrayList<>();
        List<VmProcess> processes = new ArrayList<>(scripts);
        if (sshd != null) {
            processes.add(sshd);
        }
        for (VmProcess process : processes) {
            try {
                process.kill();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IOException failure = new IOException("Could not completely delete VM " + spec.name() + " in " + dir);
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
