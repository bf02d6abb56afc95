package io.jenkins.plugins.azuresshvm.ssh;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;

/**
 * The server presented a host key other than the one expected for the negotiated algorithm; the connection was
 * refused before authentication. The message names the server, the algorithm, both SHA256 fingerprints and where
 * the expected keys came from.
 */
public final class HostKeyMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    HostKeyMismatchException(String hostAndPort, String algorithm, String expected, SshPublicKey presented) {
        super("host key of " + hostAndPort + " does not match: negotiated " + algorithm + ", expected " + expected
                + ", presented " + presented.algorithm() + " " + presented.fingerprint());
    }
}
