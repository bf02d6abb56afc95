package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.KnownHost;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host keys a server must present, learned before connecting (run-command probe, pin, or a trusted caller): at
 * most one key per key algorithm, never empty. A server key is accepted only if its blob equals the key held for the
 * algorithm that was negotiated.
 */
public final class ExpectedHostKeys implements HostKeyPolicy {
    private final Map<String, SshPublicKey> byAlgorithm;
    private final String source;

    private ExpectedHostKeys(Map<String, SshPublicKey> byAlgorithm, String source) {
        this.byAlgorithm = byAlgorithm;
        this.source = source;
    }

    /**
     * The keys, from {@code source} (said in messages, e.g. "run-command on VM vm1").
     *
     * @throws IllegalArgumentException when there is no key, or two keys of one algorithm
     */
    public static ExpectedHostKeys of(List<SshPublicKey> keys, String source) {
        Objects.requireNonNull(source, "source");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no host keys from " + source + "; an empty set never verifies");
        }
        Map<String, SshPublicKey> byAlgorithm = new LinkedHashMap<>();
        for (SshPublicKey key : keys) {
            SshPublicKey previous = byAlgorithm.putIfAbsent(key.algorithm(), key);
            if (previous != null) {
                throw new IllegalArgumentException("two " + key.algorithm() + " host keys from " + source + " ("
                        + previous.fingerprint() + ", " + key.fingerprint() + ")");
            }
        }
        return new ExpectedHostKeys(byAlgorithm, source);
    }

    /** The keys, in the order given. */
    public List<SshPublicKey> keys() {
        return List.copyOf(byAlgorithm.values());
    }

    /** Where the keys come from, for messages. */
    public String source() {
        return source;
    }

    /**
     * The key held for a negotiated host key algorithm: {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, … and for
     * RSA any of {@code ssh-rsa}, {@code rsa-sha2-256}, {@code rsa-sha2-512} (one key, several signature algorithms).
     */
    public Optional<SshPublicKey> forAlgorithm(String hostKeyAlgorithm) {
        return Optional.ofNullable(byAlgorithm.get(HostKeyAlgorithms.keyAlgorithmOf(hostKeyAlgorithm)));
    }

    /** Accepts {@code presented} only if it is the key held for the negotiated algorithm (same blob). */
    @Override
    public boolean accepts(SshPublicKey presented, String negotiatedAlgorithm) {
        return forAlgorithm(negotiatedAlgorithm).filter(presented::equals).isPresent();
    }

    /**
     * The host key algorithms a client should offer: only those we hold a key for, RSA as {@code rsa-sha2-512} and
     * {@code rsa-sha2-256} (OpenSSH 8.8+ refuses SHA-1 signatures).
     */
    @Override
    public List<String> hostKeyAlgorithms() {
        return HostKeyAlgorithms.offeredFor(byAlgorithm.keySet());
    }

    /** E.g. {@code ssh-ed25519 SHA256:… from run-command probe}, or that no key of that algorithm is held. */
    @Override
    public String describeExpected(String negotiatedAlgorithm) {
        return forAlgorithm(negotiatedAlgorithm)
                .map(key -> key.algorithm() + " " + key.fingerprint() + " from " + source)
                .orElse("no " + HostKeyAlgorithms.keyAlgorithmOf(negotiatedAlgorithm) + " key; expected " + this);
    }

    /** known_hosts lines for {@code host} on {@code port} ({@code [host]:port} unless 22), one per key. */
    public List<String> knownHostsLines(String host, int port) {
        return byAlgorithm.values().stream()
                .map(key -> KnownHost.of(host, port, key.withComment(""), false).toLine())
                .toList();
    }

    @Override
    public String toString() {
        return byAlgorithm.values().stream().map(key -> key.algorithm() + " " + key.fingerprint()).toList()
                + " from " + source;
    }
}
