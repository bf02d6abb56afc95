package io.jenkins.plugins.azuresshvm.bench;

import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Everything a new Ed25519 key costs on one thread: generate, write the OpenSSH private key file's text, the public
 * key line and the SHA256 fingerprint text.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class Ed25519Benchmark {
    private static final KeyGenSpec ED25519 = KeyGenSpec.ed25519();

    private final SshKeyGenerator generator = new SshKeyGenerator();
    private final PrivateKeyEncoder encoder = new PrivateKeyEncoder();

    @Benchmark
    public void generateEncodeFingerprint(Blackhole blackhole) {
        SshKeyPair pair = generator.generate(ED25519, "bench@azure-ssh-vm");
        blackhole.consume(encoder.encode(pair, PrivateKeyFormat.OPENSSH, null));
        SshPublicKey publicKey = pair.publicKey();
        blackhole.consume(publicKey.toLine());
        blackhole.consume(publicKey.fingerprint().toString());
    }
}
