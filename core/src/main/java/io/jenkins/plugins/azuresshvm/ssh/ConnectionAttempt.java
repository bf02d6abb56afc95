package io.jenkins.plugins.azuresshvm.ssh;

import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyPolicy;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/**
 * One connection's host key rules and what became of them. It is handed to MINA as the connection context, so it is
 * attached to the session from the moment the session exists, before the first key exchange message is built.
 */
final class ConnectionAttempt {
    private static final AttributeKey<ConnectionAttempt> KEY = new AttributeKey<>();

    private final String hostAndPort;
    private final HostKeyPolicy expected;
    private SshPublicKey acceptedKey;
    private String acceptedAlgorithm;
    private HostKeyMismatchException mismatch;
    private Throwable failure;

    ConnectionAttempt(String host, int port, HostKeyPolicy expected) {
        this.hostAndPort = host + ":" + port;
        this.expected = expected;
    }

    /** The attempt a session was opened for; empty for a session not opened by {@link VerifiedSshClient}. */
    static Optional<ConnectionAttempt> of(Session session) {
        AttributeRepository context = session instanceof ClientSession client ? client.getConnectionContext() : null;
        return Optional.ofNullable(context == null ? null : context.getAttribute(KEY));
    }

    /** The connection context to give {@code SshClient.connect}. */
    AttributeRepository asContext() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    String hostAndPort() {
        return hostAndPort;
    }

    /**
     * The host key algorithms to offer: those of {@code proposed} (MINA's list, in its order of preference) that we
     * hold a key for.
     *
     * @throws IllegalStateException when there are none
     */
    String restrictHostKeyAlgorithms(String proposed) {
        List<String> wanted = expected.hostKeyAlgorithms();
        List<String> offered = Arrays.stream(proposed.split(",")).filter(wanted::contains).toList();
        if (offered.isEmpty()) {
            throw new IllegalStateException("none of the host key algorithms expected for " + hostAndPort + " "
                    + wanted + " is supported by this client (" + proposed + ")");
        }
        return String.join(",", offered);
    }

    /**
     * Whether {@code presented} is the key expected for the negotiated {@code algorithm}; a mismatch is kept for
     * {@link #mismatch()}. Called at every key exchange.
     */
    synchronized boolean verify(String algorithm, PublicKey presented) {
        SshPublicKey key = SshPublicKey.of(presented, "");
        if (expected.accepts(key, algorithm)) {
            acceptedKey = key;
            acceptedAlgorithm = algorithm;
            return true;
        }
        if (mismatch == null) {
            mismatch = new HostKeyMismatchException(hostAndPort, algorithm, expected.describeExpected(algorithm), key);
        }
        return false;
    }

    /** Keeps the first error MINA reported for the session, to explain a failed connection. */
    synchronized void failed(Throwable error) {
        if (failure == null) {
            failure = error;
        }
    }

    synchronized Optional<HostKeyMismatchException> mismatch() {
        return Optional.ofNullable(mismatch);
    }

    synchronized Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The verified host key; empty until a key exchange verified one. */
    synchronized Optional<SshPublicKey> acceptedKey() {
        return Optional.ofNullable(acceptedKey);
    }

    /** The host key algorithm negotiated with the verified key. */
    synchronized String acceptedAlgorithm() {
        return acceptedAlgorithm;
    }
}
