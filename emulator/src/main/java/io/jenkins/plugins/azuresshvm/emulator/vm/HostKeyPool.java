package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host key sets (one key pair of every {@link HostKeys#TYPES type}) generated ahead, so that booting a VM does not
 * wait for ssh-keygen (RSA-3072 takes about 0.4 s of CPU). It keeps {@code size} sets ready in its own 0700
 * directory; each set taken is replaced in the background, by at most one ssh-keygen run per CPU, under
 * {@code nice}. A set is handed out once and moved away, so no two VMs ever share a key. When the pool is empty,
 * the VM's keys are generated on the spot.
 */
final class HostKeyPool implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Path dir;
    private final Watchdog watchdog;
    private final BlockingQueue<Path> ready = new LinkedBlockingQueue<>();
    private final ExecutorService generators;
    private final AtomicInteger serial = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();

    private HostKeyPool(Path dir, Watchdog watchdog, ExecutorService generators) {
        this.dir = dir;
        this.watchdog = watchdog;
        this.generators = generators;
    }

    /**
     * Creates {@code dir} (which must not exist) and starts generating {@code size} sets in the background; its
     * ssh-keygen runs end with the JVM through {@code watchdog}.
     */
    static HostKeyPool start(Path dir, int size, Watchdog watchdog) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("host key pool size " + size + " is negative");
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int threads = Math.max(1, Math.min(size, Runtime.getRuntime().availableProcessors()));
        HostKeyPool pool = new HostKeyPool(dir, watchdog, Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "host-key-pool");
            thread.setDaemon(true);
            return thread;
        }));
        for (int i = 0; i < size; i++) {
            pool.refill();
        }
        return pool;
    }

    private void refill() {
        try {
            generators.execute(() -> {
                try {
                    ready.add(newSet(true));
                } catch (IOException e) {
                    // the VM that finds the pool empty generates its keys itself and reports what fails
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private Path newSet(boolean background) throws IOException {
        Path set = Files.createDirectory(dir.resolve(Integer.toString(serial.getAndIncrement())));
        try {
            HostKeys.generate(set, HostKeys.TYPES, "", background, watchdog);
            return set;
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(set);
            throw e;
        }
    }

    /**
     * Moves a fresh key pair of every type into {@code to}, with {@code comment} on the public keys, and has a new set
     * generated in the background.
     */
    void takeInto(Path to, String comment) throws IOException {
        Path set = ready.poll();
        if (set == null) {
            misses.incrementAndGet();
            set = newSet(false);
        } else {
            refill();
        }
        try {
            for (String type : HostKeys.TYPES) {
                Path publicKey = HostKeys.publicKey(set, type);
                String[] fields = Files.readString(publicKey).strip().split(" ");
                Files.writeString(publicKey, fields[0] + " " + fields[1] + " " + comment + "\n");
            }
            HostKeys.move(set, to, HostKeys.TYPES);
        } finally {
            FileTrees.delete(set);
        }
    }

    /** The sets ready now. */
    int ready() {
        return ready.size();
    }

    /** How many times a VM found the pool empty and generated its own keys. */
    int misses() {
        return misses.get();
    }

    /** Stops generating (killing ssh-keygen runs under way) and deletes the pool's directory. */
    @Override
    public void close() throws IOException {
        generators.shutdownNow();
        try {
            if (!generators.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("host key generation did not stop within " + STOP_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping host key generation", e);
        } finally {
            ready.clear();
            FileTrees.delete(dir);
        }
    }
}
