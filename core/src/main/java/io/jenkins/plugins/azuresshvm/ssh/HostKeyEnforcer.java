package io.jenkins.plugins.azuresshvm.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Map;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Installed once on the MINA client, so no session escapes it: offers each session only the host key algorithms its
 * {@link ConnectionAttempt} holds keys for, and accepts a server key only if it is the expected one. A session
 * without an attempt (not opened by {@link VerifiedSshClient}) cannot even start its key exchange.
 */
final class HostKeyEnforcer implements SessionListener, ServerKeyVerifier {

    @Override
    public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
        ConnectionAttempt attempt = ConnectionAttempt.of(session).orElseThrow(
                () -> new IllegalStateException(session + " has no expected host keys; refusing to negotiate"));
        proposal.put(KexProposalOption.SERVERKEYS,
                attempt.restrictHostKeyAlgorithms(proposal.get(KexProposalOption.SERVERKEYS)));
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String algorithm = session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS);
        return ConnectionAttempt.of(session).map(attempt -> attempt.verify(algorithm, serverKey)).orElse(false);
    }

    @Override
    public void sessionException(Session session, Throwable error) {
        ConnectionAttempt.of(session).ifPresent(attempt -> attempt.failed(error));
    }
}
