package io.jenkins.plugins.azuresshvm.bench;

import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One RSA-4096 key per measured iteration (single-shot time, so every sample is one whole key): ours on all cores,
 * ours on one thread, the JDK's generator, and the real {@code ssh-keygen} as a child process. Two more single shots
 * show what a child process costs by itself: {@code true}, and {@code ssh-keygen} making an Ed25519 key (its start-up
 * and file writing, with next to no key generation). Iteration counts come from {@link KeygenBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RsaKeygenBenchmark {
    private static final KeyGenSpec RSA_4096 = KeyGenSpec.rsa(4096);

    private SshKeyGenerator allCores;
    private SshKeyGenerator oneThread;
    private KeyPairGenerator jdk;
    private Path dir;
    private Path keyFile;
    private int counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException, NoSuchAlgorithmException {
        allCores = new SshKeyGenerator();
        oneThread = new SshKeyGenerator(new SecureRandom(), 1);
        jdk = KeyPairGenerator.getInstance("RSA");
        jdk.initialize(4096);
        dir = Files.createTempDirectory("keygen-bench");
    }

    @Setup(Level.Iteration)
    public void freshPath() {
        keyFile = dir.resolve("id_" + counter++);
    }

    @TearDown(Level.Iteration)
    public void deleteKeys() throws IOException {
        Files.deleteIfExists(keyFile);
        Files.deleteIfExists(Path.of(keyFile + ".pub"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(dir);
    }

    /** {@code new SshKeyGenerator()}: the prime search on every available core. */
    @Benchmark
    public SshKeyPair oursAllCores() {
        return allCores.generate(RSA_4096, "");
    }

    /** {@code new SshKeyGenerator(new SecureRandom(), 1)}: the same search on one thread. */
    @Benchmark
    public SshKeyPair oursOneThread() {
        return oneThread.generate(RSA_4096, "");
    }

    /** The JDK's own {@code KeyPairGenerator.getInstance("RSA")} at 4096 bits (SunRsaSign). */
    @Benchmark
    public KeyPair jdk() {
        return jdk.generateKeyPair();
    }

    /** {@code ssh-keygen -t rsa -b 4096 -N '' -q -f <fresh path>}: spawn, generate, write both files, exit. */
    @Benchmark
    public int sshKeygen() throws IOException, InterruptedException {
        return run(sshKeygenCommand(), "-t", "rsa", "-b", "4096", "-N", "", "-q", "-f", keyFile.toString());
    }

    /** {@code ssh-keygen -t ed25519 ...}: ssh-keygen's fixed cost (spawn, start-up, files) with a negligible key. */
    @Benchmark
    public int sshKeygenEd25519() throws IOException, InterruptedException {
        return run(sshKeygenCommand(), "-t", "ed25519", "-N", "", "-q", "-f", keyFile.toString());
    }

    /** {@code true}: what starting and reaping any child process costs from this JVM. */
    @Benchmark
    public int spawnTrue() throws IOException, InterruptedException {
        return run("true");
    }

    static String sshKeygenCommand() {
        return System.getProperty("ssh.keygen", "ssh-keygen");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + exit);
        }
        return exit;
    }
}
