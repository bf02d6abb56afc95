package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.List;

/**
 * Which host key a client may accept from a server, decided before connecting. Fails closed: a key is accepted only
 * when it is the one expected for the host key algorithm that was negotiated.
 */
public interface HostKeyPolicy {

    /**
     * Whether the server may be trusted with this key.
     *
     * @param presented the key the server presented
     * @param negotiatedAlgorithm the host key algorithm of the key exchange, e.g. {@code ssh-ed25519} or
     *     {@code rsa-sha2-512}
     */
    boolean accepts(SshPublicKey presented, String negotiatedAlgorithm);

    /** The host key algorithms a client should offer, in order: only those this policy can verify. */
    List<String> hostKeyAlgorithms();

    /** What was expected for {@code negotiatedAlgorithm}, for the message when a key is refused. */
    String describeExpected(String negotiatedAlgorithm);
}
