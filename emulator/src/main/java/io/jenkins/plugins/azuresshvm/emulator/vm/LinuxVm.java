package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A running emulated Linux VM. */
public interface LinuxVm {

    String name();

    String ipAddress();

    /**
     * The host public key lines in the VM's {@code /etc/ssh/ssh_host_<type>_key.pub} (what run-command sees), keyed by
     * type: {@code rsa}, {@code ecdsa}, {@code ed25519}.
     */
    Map<String, String> reportedHostKeys() throws IOException;

    /**
     * Man in the middle: from now on sshd presents freshly generated host keys for {@code types} (others unchanged),
     * while {@code /etc/ssh} keeps reporting the originals. Types the VM has no key of (customData gave fewer) are
     * left out; an {@code IllegalArgumentException} when that leaves none. An empty set restores the originals.
     */
    void presentForeignHostKeys(Set<String> types) throws IOException;

    /** The TCP connections the VM's sshd accepted so far, oldest first. */
    List<SshConnection> sshConnections() throws IOException;

    /**
     * Runs a script with {@code bash} as root of this VM: minimal PATH, the VM's own {@code /etc/ssh} (never the
     * machine's), working {@code ssh-keygen}. Returns the complete output; callers cut it as Azure does.
     */
    ScriptResult runShellScript(String script, Duration timeout) throws IOException;

    /**
     * A finished script.
     *
     * @param exitCode the script's exit code (-1 when killed at the timeout)
     * @param stdout its standard output
     * @param stderr its standard error
     */
    record ScriptResult(int exitCode, String stdout, String stderr) {}
}
