package io.jenkins.plugins.azuresshvm.emulator;

import java.util.Set;

/**
 * A fault injected into one VM with {@link ArmEmulator#attack(String, Attack...)}: a man in the middle between the
 * client and the VM's sshd, or a run command whose answer cannot be trusted.
 */
public sealed interface Attack permits Attack.ForeignHostKeys, Attack.RunCommandFault {

    /** (a) sshd presents RSA, ECDSA and Ed25519 host keys that all differ from those run-command reports. */
    static Attack foreignHostKeys() {
        return new ForeignHostKeys(Set.of("rsa", "ecdsa", "ed25519"));
    }

    /** (b) only the host key of {@code type} ({@code rsa}, {@code ecdsa} or {@code ed25519}) differs. */
    static Attack foreignHostKey(String type) {
        return new ForeignHostKeys(Set.of(type));
    }

    /**
     * sshd presents fresh host keys for {@code types}, while the VM's {@code /etc/ssh} (what run-command sees)
     * keeps the originals.
     */
    record ForeignHostKeys(Set<String> types) implements Attack {
        public ForeignHostKeys {
            types = Set.copyOf(types);
            if (types.isEmpty() || !Set.of("rsa", "ecdsa", "ed25519").containsAll(types)) {
                throw new IllegalArgumentException("host key types are rsa, ecdsa and ed25519: " + types);
            }
        }
    }

    /** A run command that answers wrongly; the script still runs unless the agent is not ready. */
    enum RunCommandFault implements Attack {
        /** (c) stdout comes back empty. */
        EMPTY_OUTPUT,
        /** (d) stdout is cut short, in the middle of a line. */
        TRUNCATED_OUTPUT,
        /** (e) stdout carries one more host key line: a fresh {@code ssh-ed25519} key. */
        EXTRA_KEY_LINE,
        /**
         * (g) the {@code ssh-ed25519} line names a fresh key instead of the VM's: well-formed output that only a
         * comparison with keys known otherwise (pre-seeded) can catch.
         */
        FOREIGN_ED25519_KEY,
        /** (f) the operation fails with {@code VMAgentStatusCommunicationError}, as when the VM agent is not ready. */
        AGENT_NOT_READY
    }
}
