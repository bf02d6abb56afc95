package io.jenkins.plugins.azuresshvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code azssh vm create --preseed-host-keys} against the ARM emulator over HTTPS with real sshd VMs whose cloud-init
 * installs the pre-seeded keys: run-command ({@link #RUN_COMMAND}) confirms them before azssh exits, or reports other
 * keys — injected into the VM as soon as it booted, before azssh's run-command is sent — and azssh exits 3 leaving
 * neither the VM nor a pin.
 */
class PreseedCommandsTest {
    private static final String GROUP = "rg-cli-preseed";
    private static final Duration RUN_COMMAND = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    private static ArmEmulator arm;
    private static Map<String, String> environment;
    private static Path ed25519;

    @BeforeAll
    static void startEmulatorAndMakeKeys() throws Exception {
        EmulatorRequirements.assumeMet();
        // the VM boots 1.5 s after its PUT and the SDK learns it at its next poll (Retry-After: 1), so a test can
        // attack the booted VM before the launcher sends run-command
        arm = ArmEmulator.builder().longRunningOperations(true)
                .latencies(new Latencies(Duration.ofMillis(1_500), Duration.ZERO, RUN_COMMAND)).start();
        environment = Map.of("AZURE_ACCESS_TOKEN", "x", PinStore.HOME_VARIABLE, dir.resolve("azssh-home").toString());
        ed25519 = Cli.sshKeygenPair(dir, "id_ed25519", "-t", "ed25519", "-N", "");
    }

    @AfterAll
    static void stopEmulator() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void createVerifiesWithThePreseededKeysWaitsForTheCrossCheckAndPinsKeysSshdPresents() {
        Cli.Outcome create = azssh("-o", "json", "vm", "create", "-g", GROUP, "-n", "preseeded", "-l", "westeurope",
                "--new-resource-group", "--ssh-key-values", ed25519 + ".pub", "--ssh-source", "127.0.0.1/32",
                "--preseed-host-keys").assertSuccess();

        JsonNode json = create.json();
        assertThat(json.get("hostKeySource").asText()).isEqualTo("preseeded");
        assertThat(json.get("crossCheck").asText()).isEqualTo("confirmed");
        assertThat(json.get("hostKeys")).extracting(key -> key.get("type").asText())
                .containsExactlyInAnyOrder("ED25519", "ECDSA");
        assertThat(create.stderr()).contains("[2/3] Waiting for SSH on the public IP (host keys pre-seeded")
                .contains("Host keys verified by: pre-seeded in customData")
                .containsPattern("\\[3/3] Waiting for run-command's cross-check of the pre-seeded host keys … done in");
        assertThat(Path.of(json.get("pinFile").asText())).exists();

        Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", "preseeded", "-i", ed25519.toString(), "--", "echo", "hi");
        assertThat(ssh.exitCode()).as("the pinned pre-seeded keys are what sshd presents: %s", ssh.stderr()).isZero();
        assertThat(ssh.stdout()).isEqualTo("hi\n");

        azssh("vm", "delete", "-g", GROUP, "-n", "preseeded", "--yes").assertSuccess();
        assertThat(resourcesOf("preseeded")).isEmpty();
    }

    @Test
    void createExits3WhenRunCommandReportsOtherKeysAndLeavesNeitherTheVmNorAPin() throws Exception {
        String vm = "preseeded-disagree";
        CompletableFuture<Cli.Outcome> running = CompletableFuture.supplyAsync(() -> azssh("vm", "create",
                "-g", GROUP + "-2", "-n", vm, "-l", "westeurope", "--new-resource-group", "--ssh-key-values",
                ed25519 + ".pub", "--ssh-source", "127.0.0.1/32", "--preseed-host-keys", "-o", "json"));
        attackOnceBooted(vm, running);

        Cli.Outcome create = running.get(2, TimeUnit.MINUTES);

        assertThat(create.exitCode()).as(create.output()).isEqualTo(Azssh.HOST_KEY_REFUSED);
        JsonNode error = create.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("HostKeyDisagreement");
        assertThat(error.get("message").asText()).startsWith("run-command on VM " + vm + " reports host keys [")
                .contains("not those pre-seeded in its customData").endsWith("treat it as an attack");
        assertThat(create.stderr()).contains("[3/3] Waiting for run-command's cross-check")
                .contains("FAILED after").contains("azssh: " + error.get("message").asText() + "\n")
                .doesNotContain("\tat ");
        assertThat(resourcesOf(vm)).as("deleted before azssh returned").isEmpty();
        assertThat(dir.resolve("azssh-home/pins/" + arm.subscriptionId() + "/" + GROUP + "-2/" + vm)).doesNotExist();
    }

    /** Makes run-command on {@code vm} report a foreign Ed25519 key, as soon as the VM has booted. */
    private static void attackOnceBooted(String vm, CompletableFuture<Cli.Outcome> running) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            try {
                arm.attack(vm, RunCommandFault.FOREIGN_ED25519_KEY);
                return;
            } catch (IllegalArgumentException notYetBooted) {
                if (running.isDone() || Instant.now().isAfter(deadline)) {
                    throw new AssertionError("VM " + vm + " never booted: " + (running.isDone()
                            ? running.get().output() : "timed out"), notYetBooted);
                }
                Thread.sleep(10);
            }
        }
    }

    private static List<LiveResource> resourcesOf(String vm) {
        return arm.inventory().stream().filter(r -> r.id().matches(".*/" + vm + "([-_][A-Za-z0-9_]+)?")).toList();
    }

    private static Cli.Outcome azssh(String... args) {
        List<String> all = new ArrayList<>(List.of("--arm-endpoint", arm.endpoint().toString(),
                "--ca-cert", arm.caCertificatePem().toString(), "--subscription", arm.subscriptionId()));
        all.addAll(List.of(args));
        return Cli.azssh(environment, all.toArray(String[]::new));
    }
}
