package io.jenkins.plugins.azuresshvm.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who runs azssh, as {@code user@host}: ssh-keygen's default key comment, and the owner of what we create. */
final class LocalUser {
    private LocalUser() {}

    /** The owner tag azssh gives what it creates, and the owner {@code vm list} and {@code sweep} look for. */
    static String ownerId() {
        return "azssh:" + atHost();
    }

    static String atHost() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return System.getProperty("user.name") + "@" + host;
    }
}
