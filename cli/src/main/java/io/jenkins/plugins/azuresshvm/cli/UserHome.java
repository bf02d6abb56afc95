package io.jenkins.plugins.azuresshvm.cli;

import java.nio.file.Path;
import java.util.Map;

/** The home directory {@code ~} stands for: {@code $HOME} as the command line's environment has it, else the JVM's. */
final class UserHome {
    private UserHome() {}

    static Path of(Map<String, String> environment) {
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }
}
