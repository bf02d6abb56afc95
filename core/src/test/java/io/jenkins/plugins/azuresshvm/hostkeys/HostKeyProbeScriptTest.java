package io.jenkins.plugins.azuresshvm.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HostKeyProbeScript}: the script runs for real (bash, and POSIX sh) on a directory standing in for /etc/ssh
 * with host keys made by {@code ssh-keygen -A}, its stdout comes back wrapped as Azure's run-command message, and the
 * keys read from it are the machine's. Every way the output can be wrong fails the probe with a precise message.
 */
class HostKeyProbeScriptTest {
    @TempDir
    static Path machine;

    /** The machine's /etc/ssh, with RSA, ECDSA and Ed25519 host keys. */
    private static Path etcSsh;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateHostKeysLikeAnImageDoes() throws Exception {
        etcSsh = Files.createDirectories(machine.resolve("etc/ssh"));
        OpenSsh.run(OpenSsh.sshKeygen(), "-A", "-f", machine.toString()).assertSuccess();
    }

    @Test
    void readsEveryHostKeyOfTheMachineAsSshKeygenSeesThem() throws Exception {
        HostKeyProbeScript probe = HostKeyProbeScript.create(etcSsh.toString());

        ExpectedHostKeys keys = probe.parse(azureMessage(run(probe, "bash"), ""));

        assertThat(keys.keys()).containsExactlyElementsOf(pubFiles(etcSsh));
        assertThat(keys.keys()).extracting(key -> key.fingerprint().toString())
                .containsExactlyInAnyOrderElementsOf(fingerprintsBySshKeygen(etcSsh));
        assertThat(keys.keys()).extracting(SshPublicKey::algorithm)
                .containsExactly("ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa");
        assertThat(keys.keys()).extracting(SshPublicKey::comment)
                .containsExactlyElementsOf(pubFiles(etcSsh).stream().map(SshPublicKey::comment).toList());
        assertThat(keys.source()).isEqualTo("run-command probe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "sh"})
    void printsOnlyTheMarkersAndTheKeyFilesInNameOrder(String shell) throws Exception {
        HostKeyProbeScript probe = HostKeyProbeScript.create(etcSsh.toString());

        String stdout = run(probe, shell);

        List<String> lines = stdout.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("BEGIN azure-ssh-vm host keys [0-9a-f]{32}");
        assertThat(lines.subList(1, 4)).containsExactly(
                read("ssh_host_ecdsa_key.pub"), read("ssh_host_ed25519_key.pub"), read("ssh_host_rsa_key.pub"));
        assertThat(lines.get(4)).isEqualTo(lines.get(0).replace("BEGIN", "END"));
        assertThat(stdout).endsWith("\n");
    }

    @Test
    void isStrictAndLocaleIndependent() {
        assertThat(HostKeyProbeScript.create().lines()).startsWith("set -u", "export LC_ALL=C").endsWith("exit 0");
    }

    @Test
    void readsTheRealEtcSshInProduction() {
        assertThat(HostKeyProbeScript.create().lines()).contains("for f in '/etc/ssh'/ssh_host_*_key.pub; do");
    }

    @Test
    void hasAFreshRandomMarkerForEachProbe() {
        String first = HostKeyProbeScript.create().lines().get(2);
        String second = HostKeyProbeScript.create().lines().get(2);

        assertThat(first).matches("echo 'BEGIN azure-ssh-vm host keys [0-9a-f]{32}'");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void quotesTheDirectoryForTheShell() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("it's $HOME"));
        Files.copy(etcSsh.resolve("ssh_host_ed25519_key.pub"), odd.resolve("ssh_host_ed25519_key.pub"));
        HostKeyProbeScript probe = HostKeyProbeScript.create(odd.toString());

        assertThat(probe.parse(azureMessage(run(probe, "bash"), "")).keys()).hasSize(1);
    }

    @Test
    void printsNoPatternWhenNoKeyFileExistsAndThatProbeFails() {
        HostKeyProbeScript probe = HostKeyProbeScript.create(dir.toString());

        String stdout = run(probe, "bash");

        assertThat(stdout.lines()).hasSize(2).noneMatch(line -> line.contains("*"));
        assertThatThrownBy(() -> probe.parse(azureMessage(stdout, "")))
                .isInstanceOf(HostKeyProbeException.class)
                .hasMessage("no host key between the markers (lines 1 and 2 of stdout): the VM has no"
                        + " /etc/ssh/ssh_host_*_key.pub, and a server whose keys are unknown is never trusted");
    }

    @Test
    void endsAKeyFileWithoutFinalNewlineSoTheNextMarkerStaysOnItsLine() throws Exception {
        Files.writeString(dir.resolve("ssh_host_ed25519_key.pub"), read("ssh_host_ed25519_key.pub"));
        HostKeyProbeScript probe = HostKeyProbeScript.create(dir.toString());

        assertThat(probe.parse(azureMessage(run(probe, "bash"), "")).keys())
                .containsExactly(SshPublicKey.parse(read("ssh_host_ed25519_key.pub")));
    }

    @Test
    void ignoresStderr() throws Exception {
        HostKeyProbeScript probe = HostKeyProbeScript.create(etcSsh.toString());
        String stderr = "bash: warning: setlocale: LC_ALL: cannot change locale\n" + read("ssh_host_rsa_key.pub");

        assertThat(probe.parse(azureMessage(run(probe, "bash"), stderr)).keys()).hasSize(3);
    }

    @Test
    void acceptsCrlfLineEnds() throws Exception {
        HostKeyProbeScript probe = HostKeyProbeScript.create(etcSsh.toString());

        String message = azureMessage(run(probe, "bash"), "").replace("\n", "\r\n");

        assertThat(probe.parse(message).keys()).containsExactlyElementsOf(pubFiles(etcSsh));
    }

    /** Output that must not be trusted: each case fails the probe, saying what is wrong and where. */
    @Nested
    class Refuses {
        private final HostKeyProbeScript probe = HostKeyProbeScript.create(etcSsh.toString());
        /** What the probe prints: BEGIN, ecdsa, ed25519, rsa, END. */
        private List<String> lines;

        @BeforeEach
        void runTheProbe() {
            lines = run(probe, "bash").lines().toList();
        }

        @Test
        void emptyStdout() {
            assertRefused(azureMessage("", "some error\n"),
                    "the BEGIN marker is missing from stdout: stdout is empty");
        }

        @Test
        void stdoutWhoseStartAzureCutOff() throws Exception {
            Path keys = Files.createDirectories(dir.resolve("long"));
            for (int i = 1; i <= 4; i++) {
                OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", "ed25519", "-N", "", "-C", "x".repeat(1000),
                        "-f", keys.resolve("ssh_host_" + i + "_key").toString()).assertSuccess();
            }
            HostKeyProbeScript longProbe = HostKeyProbeScript.create(keys.toString());

            assertThatThrownBy(() -> longProbe.parse(azureMessage(run(longProbe, "bash"), "")))
                    .isInstanceOf(HostKeyProbeException.class)
                    .hasMessage("the BEGIN marker is missing from stdout: stdout fills Azure's limit of 4096 bytes,"
                            + " so its start was cut off");
        }

        @Test
        void stdoutStartingInsideAKeyLine() {
            String stdout = String.join("\n", lines) + "\n";

            assertRefused(azureMessage(stdout.substring(stdout.indexOf(lines.get(1)) + 20), ""),
                    "the BEGIN marker is missing from stdout: stdout does not come from this probe,"
                            + " or its start was cut off");
        }

        @Test
        void stdoutStartingInsideTheBeginMarker() {
            String stdout = String.join("\n", lines) + "\n";

            assertRefused(azureMessage(stdout.substring(10), ""),
                    "line 1 of stdout is a marker of this probe that is not alone on its line");
        }

        @Test
        void stdoutCutBeforeTheEndMarker() {
            String stdout = String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 100);

            assertRefused(azureMessage(stdout, ""), "the END marker is missing from stdout: stdout stops after line 4"
                    + " without it; the probe was cut short");
        }

        @Test
        void anExtraKeyOfAnAlgorithmAlreadyListed() throws Exception {
            assertRefused(inserted(4, freshKeyLine("ed25519")), "line 5 of stdout holds a second ssh-ed25519 host key"
                    + " (the first is on line 3); a server has one key per algorithm");
        }

        @Test
        void theSameKeyTwice() {
            assertRefused(inserted(2, lines.get(1)), "line 3 of stdout holds a second ecdsa-sha2-nistp256 host key"
                    + " (the first is on line 2); a server has one key per algorithm");
        }

        @Test
        void aKeyAfterTheEndMarker() throws Exception {
            assertRefused(inserted(5, freshKeyLine("ed25519") + " root@vm"), "line 6 of stdout is outside the markers"
                    + " (BEGIN on line 1, END on line 5); the probe prints nothing there, and a host key outside them"
                    + " is refused");
        }

        @Test
        void aKeyBeforeTheBeginMarker() throws Exception {
            assertRefused(inserted(0, freshKeyLine("rsa")), "line 1 of stdout is outside the markers (BEGIN on line 2,"
                    + " END on line 6); the probe prints nothing there, and a host key outside them is refused");
        }

        @Test
        void otherOutputOutsideTheMarkers() {
            assertRefused(inserted(5, "hello"), "line 6 of stdout is outside the markers (BEGIN on line 1, END on line"
                    + " 5); the probe prints nothing there");
        }

        @Test
        void aMalformedKeyLine() {
            String cut = lines.get(2).substring(0, 60);

            assertRefused(replaced(2, cut), "line 3 of stdout, between the markers, is not a host public key:"
                    + " key data is truncated or corrupt (ssh-ed25519)");
        }

        @Test
        void aBlankLineBetweenTheMarkers() {
            assertRefused(inserted(2, ""), "line 3 of stdout, between the markers, is not a host public key:"
                    + " no key on this line");
        }

        @Test
        void aDsaKey() throws Exception {
            assertRefused(inserted(1, freshKeyLine("dsa")), "line 2 of stdout, between the markers, is not a host"
                    + " public key: unsupported key type 'ssh-dss'; use ssh-rsa, ssh-ed25519 or"
                    + " ecdsa-sha2-nistp256/384/521");
        }

        @Test
        void theOutputOfAnotherProbe() {
            HostKeyProbeScript other = HostKeyProbeScript.create(etcSsh.toString());

            assertRefused(azureMessage(run(other, "bash"), ""), "line 1 of stdout is the marker of another probe");
        }

        @Test
        void aMarkerOfAnotherProbeBetweenOurs() {
            String foreign = HostKeyProbeScript.create().lines().get(8).replace("echo '", "").replace("'", "");

            assertRefused(inserted(4, foreign), "line 5 of stdout is the marker of another probe");
        }

        @Test
        void aRepeatedBeginMarker() {
            assertRefused(inserted(3, lines.get(0)), "the BEGIN marker appears twice in stdout, on lines 1 and 4");
        }

        @Test
        void aRepeatedEndMarker() {
            assertRefused(inserted(2, lines.get(4)), "the END marker appears twice in stdout, on lines 3 and 6");
        }

        @Test
        void theEndMarkerBeforeTheBeginMarker() {
            List<String> swapped = new ArrayList<>(lines);
            swapped.set(0, lines.get(4));
            swapped.set(4, lines.get(0));

            assertRefused(azureMessage(String.join("\n", swapped) + "\n", ""),
                    "the END marker (line 1 of stdout) comes before the BEGIN marker (line 5)");
        }

        @Test
        void aMarkerWithTrailingText() {
            assertRefused(replaced(0, lines.get(0) + " "),
                    "line 1 of stdout is a marker of this probe that is not alone on its line");
        }

        @Test
        void aFailedRunCommand() {
            assertRefused("Enable failed: exit code 1\n[stdout]\n\n[stderr]\n\n",
                    "not a successful run-command message: it does not start with 'Enable succeeded: ' and a [stdout]"
                            + " line");
        }

        @Test
        void aMessageWithoutStderrSection() {
            assertRefused("Enable succeeded: \n[stdout]\n" + String.join("\n", lines) + "\n",
                    "not a run-command message: there is no [stderr] line after stdout");
        }

        /** The message for the probe's stdout with {@code line} inserted at index {@code at} (0-based). */
        private String inserted(int at, String line) {
            List<String> changed = new ArrayList<>(lines);
            changed.add(at, line);
            return azureMessage(String.join("\n", changed) + "\n", "");
        }

        /** The message for the probe's stdout with {@code line} instead of the one at index {@code at}. */
        private String replaced(int at, String line) {
            List<String> changed = new ArrayList<>(lines);
            changed.set(at, line);
            return azureMessage(String.join("\n", changed) + "\n", "");
        }

        private void assertRefused(String message, String expected) {
            assertThatThrownBy(() -> probe.parse(message))
                    .isInstanceOf(HostKeyProbeException.class)
                    .hasMessage(expected);
        }
    }

    /** Azure's run-command status message, each stream cut to its last 4,096 bytes as Azure does. */
    static String azureMessage(String stdout, String stderr) {
        return "Enable succeeded: \n[stdout]\n" + tail(stdout) + "\n[stderr]\n" + tail(stderr) + "\n";
    }

    private static String tail(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - 4096);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    /** Runs the probe's script with {@code shell}, as root would on the VM, and returns its stdout. */
    private String run(HostKeyProbeScript probe, String shell) {
        try {
            Path script = Files.createTempFile(dir, "probe", ".sh");
            Files.write(script, probe.lines());
            OpenSsh.Result result = OpenSsh.run(List.of(shell, script.toString()), Map.of(), null, null)
                    .assertSuccess();
            assertThat(result.stderr()).isEmpty();
            return result.stdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String freshKeyLine(String type) throws Exception {
        Path key = dir.resolve("fresh_" + type + "_" + System.nanoTime());
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", type, "-N", "", "-f", key.toString()).assertSuccess();
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    private static List<SshPublicKey> pubFiles(Path directory) throws Exception {
        List<SshPublicKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path pub : files.filter(file -> file.toString().endsWith(".pub")).sorted().toList()) {
                keys.add(SshPublicKey.parse(Files.readString(pub)));
            }
        }
        return keys;
    }

    /** The SHA256 fingerprints {@code ssh-keygen -lf} prints for the directory's .pub files. */
    private static List<String> fingerprintsBySshKeygen(Path directory) throws Exception {
        List<String> fingerprints = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path pub : files.filter(file -> file.toString().endsWith(".pub")).toList()) {
                String line = OpenSsh.run(OpenSsh.sshKeygen(), "-lf", pub.toString()).assertSuccess().stdout();
                fingerprints.add(line.split(" ")[1]);
            }
        }
        return fingerprints;
    }

    private static String read(String name) throws Exception {
        return Files.readString(etcSsh.resolve(name)).strip();
    }
}
