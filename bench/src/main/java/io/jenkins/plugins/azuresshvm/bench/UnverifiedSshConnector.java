package io.jenkins.plugins.azuresshvm.bench;

import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * INSECURE, benchmark baseline only: an SSH client that accepts ANY host key, i.e. what a client that does not verify
 * costs. It waits for the SSH port the way {@code VerifiedVmLauncher} does (a TCP connect every 500 ms), then logs in
 * with one key pair. Never use it to reach anything but the emulator's VMs of a benchmark.
 */
final class UnverifiedSshConnector implements AutoCloseable {
    private static final AttributeKey<PublicKey> PRESENTED = new AttributeKey<>();

    private final SshClient client;
    private final AtomicInteger refusedLogins = new AtomicInteger();

    UnverifiedSshConnector() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> {
            session.setAttribute(PRESENTED, key);
            return AcceptAllServerKeyVerifier.INSTANCE.verifyServerKey(session, address, key);
        });
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.start();
    }

    /**
     * Waits for the port to open, then connects and authenticates, whatever host key the server presents; a refused
     * login is tried again (500 ms later) until {@code timeout}, and reported on stdout with the key presented.
     */
    ClientSession connect(String host, int port, String user, SshKeyPair identity, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            awaitPort(host, port, deadline);
            ClientSession session = client.connect(user, host, port)
                    .verify(Duration.between(Instant.now(), deadline)).getSession();
            try {
                session.addPublicKeyIdentity(identity.keyPair());
                session.auth().verify(Duration.between(Instant.now(), deadline));
                return session;
            } catch (SshException refused) {
                session.close(true);
                refusedLogins.incrementAndGet();
                PublicKey presented = session.getAttribute(PRESENTED);
                System.out.println("#   unverified login to " + host + ":" + port + " refused (" + refused.getMessage()
                        + "; host key " + (presented == null ? "none" : SshPublicKey.of(presented, "").fingerprint())
                        + "); trying again");
                if (Instant.now().isAfter(deadline)) {
                    throw refused;
                }
                Thread.sleep(500);
            } catch (IOException | RuntimeException e) {
                session.close(true);
                throw e;
            }
        }
    }

    /** Logins refused so far (each tried again). */
    int refusedLogins() {
        return refusedLogins.get();
    }

    private static void awaitPort(String host, int port, Instant deadline) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 2_000);
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("SSH port " + host + ":" + port + " did not open in time", notYet);
                }
                Thread.sleep(500);
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
