package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SHA256 fingerprints of the host keys a server must present, one per key algorithm, never empty: for callers
 * who know a VM's host keys only by fingerprint. A server key is accepted only if its algorithm is the negotiated one
 * and its SHA256 digest equals the one held for that algorithm.
 */
public final class ExpectedFingerprints implements HostKeyPolicy {
    private final Map<String, Fingerprint> byAlgorithm;
    private final String source;

    private ExpectedFingerprints(Map<String, Fingerprint> byAlgorithm, String source) {
        this.byAlgorithm = byAlgorithm;
        this.source = source;
    }

    /**
     * The fingerprints, by key algorithm ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}, …), from
     * {@code source} (said in messages).
     *
     * @throws IllegalArgumentException when there is none, or one is not a SHA256 fingerprint
     */
    public static ExpectedFingerprints of(Map<String, Fingerprint> byAlgorithm, String source) {
        Objects.requireNonNull(source, "source");
        if (byAlgorithm.isEmpty()) {
            throw new IllegalArgumentException("no host key fingerprints from " + source
                    + "; an empty set never verifies");
        }
        byAlgorithm.forEach((algorithm, fingerprint) -> {
            if (fingerprint.algorithm() != Fingerprint.Algorithm.SHA256) {
                throw new IllegalArgumentException("the " + algorithm + " fingerprint from " + source + " is "
                        + fingerprint.algorithm() + "; only SHA256 fingerprints are trusted");
            }
        });
        return new ExpectedFingerprints(new LinkedHashMap<>(byAlgorithm), source);
    }

    /** The fingerprints by key algorithm, in the order given. */
    public Map<String, Fingerprint> fingerprints() {
        return Collections.unmodifiableMap(byAlgorithm);
    }

    /** Where the fingerprints come from, for messages. */
    public String source() {
        return source;
    }

    /** Accepts {@code presented} only if it is of the negotiated algorithm and has the fingerprint held for it. */
    @Override
    public boolean accepts(SshPublicKey presented, String negotiatedAlgorithm) {
        String keyAlgorithm = HostKeyAlgorithms.keyAlgorithmOf(negotiatedAlgorithm);
        Fingerprint expected = byAlgorithm.get(keyAlgorithm);
        return expected != null && presented.algorithm().equals(keyAlgorithm) && expected.matches(presented);
    }

    @Override
    public List<String> hostKeyAlgorithms() {
        return HostKeyAlgorithms.offeredFor(byAlgorithm.keySet());
    }

    /** E.g. {@code ssh-ed25519 SHA256:… from …}, or that no fingerprint of that algorithm is held. */
    @Override
    public String describeExpected(String negotiatedAlgorithm) {
        String keyAlgorithm = HostKeyAlgorithms.keyAlgorithmOf(negotiatedAlgorithm);
        Fingerprint expected = byAlgorithm.get(keyAlgorithm);
        return expected != null ? keyAlgorithm + " " + expected + " from " + source
                : "no " + keyAlgorithm + " key; expected " + this;
    }

    @Override
    public String toString() {
        return byAlgorithm.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList()
                + " from " + source;
    }
}
