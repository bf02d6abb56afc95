package io.jenkins.plugins.azuresshvm.hostkeys;

/**
 * A host key probe whose output cannot be trusted: says what is wrong and where (which marker, which line of the
 * output). Never carries secrets. No host key may be accepted after this.
 */
public class HostKeyProbeException extends Exception {
    private static final long serialVersionUID = 1L;

    public HostKeyProbeException(String message) {
        super(message);
    }

    public HostKeyProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
