package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs each VM as a real OpenSSH sshd (see {@link SshdVm}) with all files under one work directory, which this
 * runtime owns and deletes on {@link #close()}. Should the JVM die without closing it, even by SIGKILL, a
 * {@link Watchdog} kills the VMs' processes and deletes the work directory. Needs root (see {@link Requirements}).
 */
public final class SshdVmRuntime implements VmRuntime {

    /** Paths go unquoted into sshd_config and nss_wrapper's passwd file. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+@-]+");

    /** Host key sets kept ready by {@link #start(Path)}: enough for a few VMs at once, cheap to fill. */
    public static final int DEFAULT_HOST_KEY_POOL = 4;

    private final Path workDir;
    private final Watchdog watchdog;
    private final HostKeyPool hostKeyPool;
    /** VMs by name; a name mapped to {@code null} is being created. */
    private final Map<String, SshdVm> vms = new HashMap<>();
    private final Map<String, String> ipAddresses = new HashMap<>();
    private boolean closed;

    private SshdVmRuntime(Path workDir, Watchdog watchdog, HostKeyPool hostKeyPool) {
        this.workDir = workDir;
        this.watchdog = watchdog;
        this.hostKeyPool = hostKeyPool;
    }

    /**
     * Checks the machine and starts a runtime in {@code workDir}, which must be empty or not exist yet; it is deleted
     * when the runtime closes or the JVM dies.
     */
    public static SshdVmRuntime start(Path workDir) throws IOException {
        return start(workDir, DEFAULT_HOST_KEY_POOL);
    }

    /**
     * Like {@link #start(Path)}, keeping {@code hostKeyPool} host key sets generated ahead (in {@code host-keys/}), so
     * that VMs boot without waiting for ssh-keygen; 0 generates each VM's keys as it boots.
     */
    public static SshdVmRuntime start(Path workDir, int hostKeyPool) throws IOException {
        Requirements.check();
        Path dir = workDir.toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(dir.toString()).matches()) {
            throw new IOException("VM emulator work directory " + dir
                    + " may only contain letters, digits and . _ / + @ -");
        }
        Files.createDirectories(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("VM emulator work directory " + dir + " is not empty; it would be deleted");
            }
        }
        Files.createDirectories(Path.of("/run/sshd"));
        Files.createDirectory(dir.resolve("vms"));
        Watchdog watchdog = Watchdog.start(dir);
        try {
            return new SshdVmRuntime(dir, watchdog, HostKeyPool.start(dir.resolve("host-keys"), hostKeyPool, watchdog));
        } catch (IOException | RuntimeException e) {
            watchdog.close();
            FileTrees.delete(dir);
            throw e;
        }
    }

    /** The work directory: {@code vms/<name>} holds each VM, {@code host-keys/} the host key pool. */
    public Path workDir() {
        return workDir;
    }

    @Override
    public LinuxVm create(VmSpec spec) throws IOException {
        SshdVm.validate(spec);
        synchronized (this) {
            if (closed) {
                throw new IOException("VM runtime in " + workDir + " is closed; cannot create VM " + spec.name());
            }
            if (vms.containsKey(spec.name())) {
                throw new IOException("VM " + spec.name() + " already exists");
            }
            if (ipAddresses.containsKey(spec.ipAddress())) {
                throw new IOException("VM " + spec.name() + ": IP address " + spec.ipAddress()
                        + " is taken by VM " + ipAddresses.get(spec.ipAddress()));
            }
            vms.put(spec.name(), null);
            ipAddresses.put(spec.ipAddress(), spec.name());
        }
        SshdVm vm = null;
        try {
            vm = SshdVm.boot(spec, workDir.resolve("vms").resolve(spec.name()), watchdog, hostKeyPool);
            return vm;
        } finally {
            synchronized (this) {
                if (vm != null) {
                    vms.put(spec.name(), vm);
                } else {
                    vms.remove(spec.name());
                    ipAddresses.remove(spec.ipAddress());
                }
            }
        }
    }

    @Override
    public void delete(String name) throws IOException {
        SshdVm vm;
        synchronized (this) {
            vm = vms.get(name);
            if (vm == null) {
                if (vms.containsKey(name)) {
                    throw new IOException("VM " + name + " is still being created");
                }
                return;
            }
            vms.remove(name);
        }
        try {
            vm.destroy();
        } finally {
            synchronized (this) {
                ipAddresses.remove(vm.ipAddress());
            }
        }
    }

    /** Deletes every VM and the work directory, then stops the watchdog. */
    @Override
    public void close() {
        List<SshdVm> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = vms.values().stream().filter(vm -> vm != null).toList();
        }
        List<IOException> failures = new ArrayList<>();
        for (SshdVm vm : all) {
            try {
                delete(vm.name());
            } catch (IOException e) {
                failures.add(e);
            }
        }
        try {
            hostKeyPool.close();
        } catch (IOException e) {
            failures.add(e);
        }
        try {
            FileTrees.delete(workDir);
        } catch (IOException e) {
            failures.add(e);
        }
        watchdog.close();
        if (!failures.isEmpty()) {
            IOException failure = new IOException("Could not completely clean up VM runtime in " + workDir);
            failures.forEach(failure::addSuppressed);
            throw new UncheckedIOException(failure);
        }
    }
}
