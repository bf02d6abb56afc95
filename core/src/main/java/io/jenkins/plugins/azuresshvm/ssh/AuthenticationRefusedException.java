package io.jenkins.plugins.azuresshvm.ssh;

import java.io.IOException;

/** The server refused the key pair we authenticated with (the host key had been verified). */
public final class AuthenticationRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public AuthenticationRefusedException(String message) {
        super(message);
    }
}
