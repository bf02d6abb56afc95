package io.jenkins.plugins.azuresshvm.ssh;

import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyPolicy;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * An SSH client that only talks to servers presenting a host key we expected, and logs in with one given key pair.
 * It offers only the host key algorithms it holds keys for, and refuses a mismatching server before authenticating;
 * it never accepts an unknown key. No agent, password, keyboard-interactive or {@code ~/.ssh} file is ever used.
 * One instance serves many connections; close it to release its threads.
 */
public final class VerifiedSshClient implements AutoCloseable {
    private final SshClient client;

    /** Starts a client. */
    public VerifiedSshClient() {
        client = SshClient.setUpDefaultClient();
        HostKeyEnforcer enforcer = new HostKeyEnforcer();
        client.setServerKeyVerifier(enforcer);
        client.addSessionListener(enforcer);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.start();
    }

    /**
     * Connects, verifies the host key and authenticates, all within {@code timeout}.
     *
     * @param expected the host keys the server must present; only their algorithms are offered
     * @param identity the key pair to log in with, the only credential tried
     * @throws HostKeyMismatchException when the server presented another key (nothing was sent to authenticate)
     * @throws AuthenticationRefusedException when the server refused {@code identity}
     * @throws SshTimeoutException when a step did not finish in time
     * @throws IOException when the connection or key exchange failed otherwise
     */
    public VerifiedSession connect(String host, int port, String user, HostKeyPolicy expected, SshKeyPair identity,
            Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        ConnectionAttempt attempt = new ConnectionAttempt(host, port, expected);
        HostConfigEntry target = new HostConfigEntry(host, host, port, user);
        target.setIdentitiesOnly(true);
        ConnectFuture connecting = client.connect(target, attempt.asContext(), null);
        if (!connecting.await(deadline.remaining())) {
            connecting.cancel();
            throw new SshTimeoutException("connecting to " + attempt.hostAndPort() + " timed out after "
                    + deadline.budget());
        }
        if (!connecting.isConnected()) {
            throw new IOException("cannot connect to " + attempt.hostAndPort() + ": "
                    + connecting.getException().getMessage(), connecting.getException());
        }
        ClientSession session = connecting.getSession();
        try {
            awaitVerifiedKeyExchange(session, attempt, deadline);
            authenticate(session, user, identity, attempt, deadline);
            return new VerifiedSession(session, user + "@" + attempt.hostAndPort(), attempt.acceptedAlgorithm(),
                    attempt.acceptedKey().orElseThrow());
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** Waits until the first key exchange is done, which includes checking the host key. */
    private static void awaitVerifiedKeyExchange(ClientSession session, ConnectionAttempt attempt, Deadline deadline)
            throws IOException {
        Set<ClientSessionEvent> state = session.waitFor(
                EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), deadline.remaining());
        if (attempt.mismatch().isPresent()) {
            throw attempt.mismatch().get();
        }
        if (state.contains(ClientSessionEvent.CLOSED)) {
            String reason = attempt.failure().map(Throwable::getMessage).orElse("connection closed");
            throw new IOException("SSH key exchange with " + attempt.hostAndPort() + " failed: " + reason,
                    attempt.failure().orElse(null));
        }
        if (!state.contains(ClientSessionEvent.WAIT_AUTH)) {
            throw new SshTimeoutException("SSH key exchange with " + attempt.hostAndPort() + " did not finish within "
                    + deadline.budget());
        }
        if (attempt.acceptedKey().isEmpty()) {
            throw new IllegalStateException("key exchange with " + attempt.hostAndPort() + " ended unverified");
        }
    }

    private static void authenticate(ClientSession session, String user, SshKeyPair identity,
            ConnectionAttempt attempt, Deadline deadline) throws IOException {
        String login = user + "@" + attempt.hostAndPort();
        session.addPublicKeyIdentity(identity.keyPair());
        AuthFuture auth = session.auth();
        if (!auth.await(deadline.remaining())) {
            throw new SshTimeoutException("authentication as " + login + " did not finish within "
                    + deadline.budget());
        }
        if (!auth.isSuccess()) {
            Throwable cause = auth.getException();
            throw new AuthenticationRefusedException(login + " refused public key authentication with "
                    + identity.type().label() + " key " + identity.publicKey().fingerprint()
                    + (cause == null ? "" : ": " + cause.getMessage()));
        }
    }

    /** Stops the client and closes every session it opened. */
    @Override
    public void close() throws IOException {
        client.close();
    }
}
