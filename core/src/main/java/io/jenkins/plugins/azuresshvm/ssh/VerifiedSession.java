package io.jenkins.plugins.azuresshvm.ssh;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.io.output.NoCloseOutputStream;

/** An authenticated SSH session with a server whose host key was verified. Close it to disconnect. */
public final class VerifiedSession implements AutoCloseable {
    private final ClientSession session;
    private final String login;
    private final String hostKeyAlgorithm;
    private final SshPublicKey presentedHostKey;

    VerifiedSession(ClientSession session, String login, String hostKeyAlgorithm, SshPublicKey presentedHostKey) {
        this.session = session;
        this.login = login;
        this.hostKeyAlgorithm = hostKeyAlgorithm;
        this.presentedHostKey = presentedHostKey;
    }

    /** The host key the server presented, equal to the expected one. */
    public SshPublicKey presentedHostKey() {
        return presentedHostKey;
    }

    /** The negotiated host key algorithm: {@code ssh-ed25519}, {@code rsa-sha2-512}, … */
    public String hostKeyAlgorithm() {
        return hostKeyAlgorithm;
    }

    /**
     * Runs {@code command} with no input, streaming its output as it comes, and waits for it to end. The streams are
     * flushed, never closed. On timeout the channel is closed (the remote command may keep running) and {@link
     * SshTimeoutException} thrown. Messages never quote the command.
     */
    public CommandResult execute(String command, OutputStream stdout, OutputStream stderr, Duration timeout)
            throws IOException {
        Deadline deadline = Deadline.after(timeout);
        ChannelExec channel = session.createExecChannel(command);
        try {
            channel.setOut(new NoCloseOutputStream(stdout));
            channel.setErr(new NoCloseOutputStream(stderr));
            OpenFuture opened = channel.open();
            if (!opened.await(deadline.remaining())) {
                throw new SshTimeoutException("opening a command channel on " + login + " timed out after "
                        + deadline.budget() + "; channel closed");
            }
            if (!opened.isOpened()) {
                throw new IOException("cannot open a command channel on " + login + ": "
                        + opened.getException().getMessage(), opened.getException());
            }
            channel.getInvertedIn().close();
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                    deadline.remaining());
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new SshTimeoutException("command on " + login + " did not end within " + deadline.budget()
                        + "; channel closed");
            }
            stdout.flush();
            stderr.flush();
            return result(channel);
        } finally {
            channel.close(true);
        }
    }

    private CommandResult result(ChannelExec channel) throws IOException {
        Integer status = channel.getExitStatus();
        String signal = channel.getExitSignal();
        if (status == null && signal == null) {
            throw new IOException("command on " + login + " ended without exit status (connection lost?)");
        }
        return new CommandResult(status == null ? OptionalInt.empty() : OptionalInt.of(status),
                Optional.ofNullable(signal));
    }

    /** Disconnects. */
    @Override
    public void close() throws IOException {
        session.close();
    }

    @Override
    public String toString() {
        return "VerifiedSession[" + login + ", " + hostKeyAlgorithm + " " + presentedHostKey.fingerprint() + "]";
    }
}
