package io.jenkins.plugins.azuresshvm.hostkeys;

/**
 * Run-command reports host keys other than those a connection was verified with: someone else holds the keys the
 * VM was meant to have. Treated as an attack — connections are closed and the VM deleted.
 */
public class HostKeyDisagreementException extends HostKeyProbeException {
    private static final long serialVersionUID = 1L;

    public HostKeyDisagreementException(String message) {
        super(message);
    }
}
