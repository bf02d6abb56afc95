package io.jenkins.plugins.azuresshvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code azssh demo}, the README's main job, on the embedded emulator with real sshd VMs: the verified workflow
 * runs end to end, and a man in the middle is refused before any command runs. Both leave nothing behind.
 */
class DemoCommandTest {

    @BeforeAll
    static void needsTheEmulatorsRequirements() {
        EmulatorRequirements.assumeMet();
    }

    @Test
    void runsUnameOnAVerifiedVmAndDeletesEverything() throws Exception {
        List<String> before = sshdProcesses();
        Cli.Outcome demo = Cli.azssh("demo");

        demo.assertSuccess();
        assertThat(demo.stdout()).startsWith("Linux ")
                .contains("Host keys learned via run-command (verified: sshd presented ")
                .containsPattern("256 SHA256:\\S+ no comment \\(ED25519\\)")
                .containsPattern("(?m)^  127\\.0\\.0\\.\\d+ ssh-ed25519 AAAA\\S+$")
                .contains("ARM requests for the whole run: ");
        assertThat(demo.stderr().lines()).hasSize(7).allMatch(line -> line.matches("\\[\\d/7] .* … done in \\d+\\.\\d s"));
        assertThat(sshdProcesses()).as("the demo's sshd processes").isSubsetOf(before);
    }

    @Test
    void jsonDescribesTheVerifiedRun() {
        Cli.Outcome demo = Cli.azssh("demo", "--output", "json");

        demo.assertSuccess();
        JsonNode json = demo.json();
        assertThat(json.get("mitm").asBoolean()).isFalse();
        assertThat(json.get("refused").asBoolean()).isFalse();
        assertThat(json.get("refusal").isNull()).isTrue();
        assertThat(json.get("command").asText()).isEqualTo("uname -a");
        assertThat(json.get("commandOutput").asText()).startsWith("Linux ");
        assertThat(json.get("exitStatus").asInt()).isZero();
        assertThat(json.get("host").asText()).matches("127\\.0\\.0\\.\\d+");
        assertThat(json.get("hostKeyAlgorithm").asText()).isNotBlank();
        assertThat(json.get("hostKeys")).anySatisfy(key -> assertThat(key.get("fingerprint"))
                .isEqualTo(json.get("presentedHostKey").get("fingerprint")));
        assertThat(json.get("knownHosts")).hasSameSizeAs(json.get("hostKeys"));
        assertThat(json.get("armRequests").asInt()).isPositive();
        assertThat(json.get("hostKeySource").asText()).isEqualTo("run-command");
        assertThat(json.get("crossCheck").isNull()).isTrue();
        assertThat(demo.stdout()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void withPreseededHostKeysTheCommandRunsBeforeRunCommandAnswersWhichThenConfirmsTheKeys() throws Exception {
        List<String> before = sshdProcesses();
        Cli.Outcome demo = Cli.azssh("demo", "--preseed-host-keys");

        demo.assertSuccess();
        assertThat(demo.stdout()).startsWith("Linux ")
                .contains("Host keys pre-seeded in customData (verified: sshd presented ")
                .contains("Cross-check: confirmed (run-command reports exactly the pre-seeded host keys)");
        List<String> steps = demo.stderr().lines().toList();
        assertThat(steps).hasSize(8).allMatch(line -> line.matches("\\[\\d/8] .* … done in \\d+\\.\\d s"));
        assertThat(steps.get(3)).startsWith("[4/8] Waiting for SSH (host keys pre-seeded in customData");
        assertThat(steps.get(4)).startsWith("[5/8] Connecting to azureuser@127.0.0.").contains("pre-seeded host keys");
        assertThat(steps.get(5)).startsWith("[6/8] Running 'uname -a'");
        assertThat(steps.get(6)).startsWith("[7/8] Waiting for run-command's cross-check");
        assertThat(seconds(steps.get(3)) + seconds(steps.get(4)) + seconds(steps.get(5)))
                .as("SSH verified and the command run before run-command (3 s from the start of step 4) answered")
                .isLessThan(3.0);
        assertThat(sshdProcesses()).as("the demo's sshd processes").isSubsetOf(before);

        JsonNode json = Cli.azssh("demo", "--preseed-host-keys", "-o", "json").assertSuccess().json();
        assertThat(json.get("hostKeySource").asText()).isEqualTo("preseeded");
        assertThat(json.get("crossCheck").asText()).isEqualTo("confirmed");
        assertThat(json.get("exitStatus").asInt()).isZero();
    }

    @Test
    void refusesAManInTheMiddleBeforeAnyCommandRuns() throws Exception {
        List<String> before = sshdProcesses();
        Cli.Outcome demo = Cli.azssh("demo", "--mitm");

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.stdout())
                .containsPattern("REFUSED: host key of 127\\.0\\.0\\.\\d+:22 does not match: negotiated \\S+, "
                        + "expected \\S+ SHA256:\\S+ from run-command on VM azssh-demo, presented \\S+ SHA256:\\S+")
                .contains("No command ran")
                .doesNotContain("Linux ");
        assertThat(demo.stderr()).contains("Connecting to azureuser@127.0.0.").contains("FAILED after")
                .doesNotContain("Running 'uname -a'").contains("Deleting everything we created … done");
        assertThat(sshdProcesses()).as("the demo's sshd processes").isSubsetOf(before);
    }

    /** The duration a {@code … done in 1.2 s} step line ends with. */
    private static double seconds(String stepLine) {
        return Double.parseDouble(stepLine.substring(stepLine.lastIndexOf(" in ") + 4, stepLine.length() - 2));
    }

    /**
     * sshd processes of any emulator's VM named like the demo's (their command lines name its work dir); other test
     * runs on the machine start VMs of other names at any time, so only these count, compared before and after.
     */
    private static List<String> sshdProcesses() throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .map(dir -> {
                        try {
                            return new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                        } catch (IOException gone) {
                            return "";
                        }
                    })
                    .filter(cmdline -> cmdline.contains("sshd")
                            && cmdline.matches(".*azure-arm-emulator-\\d+/vms/azssh-demo/.*"))
                    .toList();
        }
    }
}
