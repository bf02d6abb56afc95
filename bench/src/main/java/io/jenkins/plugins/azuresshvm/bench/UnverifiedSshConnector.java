package io.jenkins.plugins.azuresshvm.bench;

import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * INSECURE, benchmark baseline only: an SSH client that accepts ANY host key, i.e. what a client that does not verify
 * costs. It waits for the SSH port the way {@code VerifiedVmLauncher} does (a TCP connect every 500 ms), then logs in
 * with one key pair. Never use it to reach anything but the emulator's VMs of a benchmark.
 */
final class UnverifiedSshConnector implements AutoCloseable {
    private final SshClient client;

    UnverifiedSshConnector() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.start();
    }

    /** Waits for the port to open, then connects and authenticates, whatever host key the server presents. */
    ClientSession connect(String host, int port, String user, SshKeyPair identity, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        awaitPort(host, port, deadline);
        ClientSession session = client.connect(user, host, port)
                .verify(Duration.between(Instant.now(), deadline)).getSession();
        try {
            session.addPublicKeyIdentity(identity.keyPair());
            session.auth().verify(Duration.between(Instant.now(), deadline));
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
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
