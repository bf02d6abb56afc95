package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@link SshdVmRuntime} needs from the machine: root, OpenSSH server, nss_wrapper and util-linux. */
final class Requirements {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    static final Path NSS_WRAPPER = Path.of("/usr/lib/x86_64-linux-gnu/libnss_wrapper.so");
    static final Path UNSHARE = Path.of("/usr/bin/unshare");
    static final Path MOUNT = Path.of("/usr/bin/mount");
    static final Path BASH = Path.of("/usr/bin/bash");
    static final Path SETSID = Path.of("/usr/bin/setsid");
    static final Path NICE = Path.of("/usr/bin/nice");

    private static final List<Path> NSS_WRAPPER_CANDIDATES = List.of(
            NSS_WRAPPER,
            Path.of("/usr/lib/aarch64-linux-gnu/libnss_wrapper.so"),
            Path.of("/usr/lib64/libnss_wrapper.so"),
            Path.of("/usr/lib/libnss_wrapper.so"));

    /** Executable → the Debian package that provides it. */
    private static final Map<Path, String> TOOLS = Map.of(
            SSHD, "openssh-server",
            SSH_KEYGEN, "openssh-client",
            UNSHARE, "util-linux",
            MOUNT, "mount",
            BASH, "bash",
            SETSID, "util-linux",
            NICE, "coreutils");

    private Requirements() {}

    /** The path of {@code libnss_wrapper.so}, or {@code null} when it is not installed. */
    static Path nssWrapper() {
        return NSS_WRAPPER_CANDIDATES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** One line per missing requirement, each naming what to install; empty when all is there. */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (uid() != 0) {
            missing.add("root (running as uid " + uid() + "; sshd, unshare and mount need uid 0)");
        }
        TOOLS.entrySet().stream()
                .filter(tool -> !Files.isExecutable(tool.getKey()))
                .map(tool -> tool.getKey() + " (Debian package " + tool.getValue() + ")")
                .sorted()
                .forEach(missing::add);
        if (nssWrapper() == null) {
            missing.add("libnss_wrapper.so (Debian package libnss-wrapper)");
        }
        return missing;
    }

    /** Fails with one message naming everything missing. */
    static void check() throws IOException {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IOException("The VM emulator cannot run here; missing: " + String.join(", ", missing)
                    + ". On Debian/Ubuntu, as root: apt-get install -y openssh-server libnss-wrapper util-linux");
        }
    }
}
