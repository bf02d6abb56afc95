package io.jenkins.plugins.azuresshvm.hostkeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** How host key algorithms (negotiated in the key exchange) relate to key algorithms (the type in a key blob). */
final class HostKeyAlgorithms {
    private HostKeyAlgorithms() {}

    /** The key algorithm a negotiated host key algorithm uses: {@code rsa-sha2-256/512} sign with an ssh-rsa key. */
    static String keyAlgorithmOf(String hostKeyAlgorithm) {
        return hostKeyAlgorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : hostKeyAlgorithm;
    }

    /**
     * The host key algorithms to offer for keys of these algorithms, in order; RSA as {@code rsa-sha2-512} and
     * {@code rsa-sha2-256} (OpenSSH 8.8+ refuses SHA-1 signatures).
     */
    static List<String> offeredFor(Collection<String> keyAlgorithms) {
        List<String> algorithms = new ArrayList<>();
        for (String algorithm : keyAlgorithms) {
            if (algorithm.equals("ssh-rsa")) {
                algorithms.add("rsa-sha2-512");
                algorithms.add("rsa-sha2-256");
            } else {
                algorithms.add(algorithm);
            }
        }
        return algorithms;
    }
}
