package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's sshd log: sshd {@code -e} writes lines without times, so a daemon thread copies them into the log file each
 * prefixed with the instant it read them (ISO-8601, a few microseconds after sshd wrote them).
 */
final class TimestampedLog {

    /** sshd's VERBOSE line for an accepted TCP connection, after our time prefix. */
    private static final Pattern CONNECTION = Pattern.compile(
            "(\\S+) Connection from (\\S+) port (\\d+) on .*");

    private TimestampedLog() {}

    /**
     * Creates {@code file} (appending when it exists) and copies {@code output} into it until it ends.
     *
     * @return the copying thread, which ends once {@code output} has ended and all of it is in {@code file}
     */
    static Thread copy(String description, InputStream output, Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread copier = new Thread(() -> {
            try (out; BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.write((Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the process or its directory is gone: nothing left to log
            }
        }, description);
        copier.setDaemon(true);
        copier.start();
        return copier;
    }

    /** The connections the log records, oldest first. */
    static List<SshConnection> connections(Path file) throws IOException {
        List<SshConnection> connections = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = CONNECTION.matcher(line);
            if (m.matches()) {
                connections.add(new SshConnection(Instant.parse(m.group(1)), m.group(2),
                        Integer.parseInt(m.group(3))));
            }
        }
        return connections;
    }
}
