package io.jenkins.plugins.azuresshvm.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throwaway OpenSSH server on 127.0.0.1 with its own host keys and authorized_keys file, logging in the user the
 * tests run as. Close it to stop it (only the process started here is killed).
 */
public final class TestSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private TestSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts sshd in {@code dir}, accepting logins with the given authorized_keys lines. */
    public static TestSshd start(Path dir, List<String> authorizedKeys) throws IOException, InterruptedException {
        Path sshd = OpenSsh.sshd();
        Path keygen = OpenSsh.sshKeygen();
        if (isRoot()) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Files.createDirectories(dir);
        List<String> hostKeys = new ArrayList<>();
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            Path hostKey = dir.resolve("ssh_host_" + type + "_key");
            List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-N", "", "-C", "test-host", "-f",
                    hostKey.toString()));
            if (type.equals("rsa")) {
                args.addAll(List.of("-b", "2048"));
            }
            OpenSsh.run(keygen, args.toArray(String[]::new)).assertSuccess();
            hostKeys.add("HostKey " + hostKey);
        }
        Files.write(dir.resolve("authorized_keys"), authorizedKeys, StandardCharsets.UTF_8);
        int port = freePort();
        List<String> config = new ArrayList<>(List.of(
                "ListenAddress 127.0.0.1:" + port,
                "PidFile none",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE"));
        config.addAll(hostKeys);
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config, StandardCharsets.UTF_8);
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        TestSshd server = new TestSshd(dir, port, process);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.close();
        fail("sshd did not listen on 127.0.0.1:" + port + " within 10 s: " + Files.readString(log));
        return server;
    }

    public int port() {
        return port;
    }

    /** The server's host public key file of the given type ({@code ed25519}, {@code ecdsa}, {@code rsa}). */
    public Path hostPublicKey(String type) {
        return dir.resolve("ssh_host_" + type + "_key.pub");
    }

    /** What sshd logged so far. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /**
     * Runs {@code echo} through the real {@code ssh} client with one identity, checking the host key strictly
     * against {@code knownHosts}.
     *
     * @param passphrase the identity's passphrase, given to ssh through SSH_ASKPASS; {@code null} for none
     */
    public OpenSsh.Result login(Path identity, String passphrase, Path knownHosts) throws IOException {
        List<String> command = new ArrayList<>(List.of(OpenSsh.ssh().toString(),
                "-F", "/dev/null",
                "-p", String.valueOf(port),
                "-i", identity.toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "PasswordAuthentication=no",
                "-o", "KbdInteractiveAuthentication=no",
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR"));
        Map<String, String> environment = Map.of();
        if (passphrase == null) {
            command.addAll(List.of("-o", "BatchMode=yes"));
        } else {
            Path askpass = Files.createTempFile(dir, "askpass", ".sh");
            Path secret = Files.createTempFile(dir, "passphrase", ".txt");
            Files.writeString(secret, passphrase);
            Files.writeString(askpass, "#!/bin/sh\ncat '" + secret + "'\n");
            askpass.toFile().setExecutable(true, true);
            environment = Map.of("SSH_ASKPASS", askpass.toString(), "SSH_ASKPASS_REQUIRE", "force",
                    "DISPLAY", ":0");
        }
        command.add(System.getProperty("user.name") + "@127.0.0.1");
        command.add("echo logged-in-as-$(id -un)");
        return OpenSsh.run(command, environment, null, dir);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
