package io.jenkins.plugins.azuresshvm.ssh;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a remote command ended: with an exit status, or killed by a signal (then OpenSSH sends no exit status).
 *
 * @param exitStatus the exit status, when the command exited
 * @param exitSignal the signal name without {@code SIG} (e.g. {@code KILL}), when a signal ended it
 */
public record CommandResult(OptionalInt exitStatus, Optional<String> exitSignal) {

    public CommandResult {
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(exitSignal, "exitSignal");
        if (exitStatus.isEmpty() && exitSignal.isEmpty()) {
            throw new IllegalArgumentException("a command ends with an exit status or a signal");
        }
    }

    /** A command that exited with {@code status}. */
    public static CommandResult exited(int status) {
        return new CommandResult(OptionalInt.of(status), Optional.empty());
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitStatus.isPresent() && exitStatus.getAsInt() == 0;
    }

    @Override
    public String toString() {
        return exitStatus.isPresent() ? "exit status " + exitStatus.getAsInt() : "killed by signal " + exitSignal.get();
    }
}
