package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the emulator's real-sshd VMs need; missing, a test skips locally with the reason and fails under CI=true. */
final class EmulatorRequirements {
    private EmulatorRequirements() {}

    static void assumeMet() {
        if (!"root".equals(System.getProperty("user.name"))) {
            OpenSsh.skipOrFail("the emulator's VMs need root");
        }
        OpenSsh.sshd();
        if (Stream.of("/usr/lib/x86_64-linux-gnu/libnss_wrapper.so", "/usr/lib/aarch64-linux-gnu/libnss_wrapper.so",
                "/usr/lib/libnss_wrapper.so").noneMatch(path -> Files.exists(Path.of(path)))) {
            OpenSsh.skipOrFail("libnss_wrapper.so is not installed (Debian package libnss-wrapper)");
        }
    }
}
