package io.jenkins.plugins.azuresshvm.ssh;

import java.io.IOException;

/** An SSH step (connect, key exchange, authentication, command) did not finish within its timeout. */
public final class SshTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public SshTimeoutException(String message) {
        super(message);
    }
}
