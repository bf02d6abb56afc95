package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureCliOptions;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code azssh vm create | hostkeys | delete} and {@code azssh ssh} against the ARM emulator over HTTPS with real sshd
 * VMs: one VM's life, in order — created with an RSA and an Ed25519 key, its host keys probed and pinned, commands
 * run over verified connections, a man in the middle refused, then deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmCommandsTest {
    private static final String GROUP = "rg-cli-vm";
    private static final String VM = "cli-vm";
    private static final Map<String, String> TOKEN = Map.of("AZURE_ACCESS_TOKEN", "x");

    @TempDir
    static Path dir;

    private static ArmEmulator arm;
    private static Map<String, String> environment;
    private static Path rsa;
    private static Path ed25519;
    private static String created;

    @BeforeAll
    static void startEmulatorAndMakeKeys() throws Exception {
        EmulatorRequirements.assumeMet();
        arm = ArmEmulator.builder().start();
        environment = Map.of("AZURE_ACCESS_TOKEN", "x", PinStore.HOME_VARIABLE, dir.resolve("azssh-home").toString());
        rsa = dir.resolve("id_rsa");
        ed25519 = dir.resolve("id_ed25519");
        Cli.azssh("keygen", "-b", "2048", "-N", "", "-f", rsa.toString()).assertSuccess();
        Cli.azssh("keygen", "-t", "ed25519", "-N", "", "-f", ed25519.toString()).assertSuccess();
    }

    @AfterAll
    static void stopEmulator() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    @Order(1)
    void createPrintsTheProbedHostKeysAndPinsThem() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");

        Cli.Outcome create = azssh("vm", "create", "-g", GROUP, "-n", VM, "-l", "westeurope", "--new-resource-group",
                "--ssh-key-values", rsa + ".pub", ed25519 + ".pub", "--ssh-source", "127.0.0.1/32",
                "--public-ip-address-dns-name", "azssh-cli-vm", "--known-hosts", knownHosts.toString())
                .assertSuccess();

        created = create.stdout();
        assertThat(created).contains("VM: /subscriptions/" + arm.subscriptionId() + "/resourceGroups/" + GROUP)
                .containsPattern("(?m)^vmId: \\S+$").containsPattern("(?m)^Public IP: 127\\.0\\.0\\.\\d+$")
                .contains("FQDN: azssh-cli-vm.westeurope.cloudapp.azure.com\n")
                .contains("Admin user: azureuser")
                .containsPattern("(?m)^256 SHA256:\\S+ 127\\.0\\.0\\.\\d+ \\(ED25519\\)$")
                .containsPattern("(?m)^127\\.0\\.0\\.\\d+ ssh-ed25519 AAAA\\S+$");
        assertThat(create.stderr()).contains("[1/2] Creating VM " + VM).contains("[2/2] Learning its host keys");
        assertThat(Files.readAllLines(knownHosts)).isNotEmpty()
                .allSatisfy(line -> assertThat(created).contains("\n" + line + "\n"));
        Path pin = dir.resolve("azssh-home/pins/" + arm.subscriptionId() + "/" + GROUP + "/" + VM);
        assertThat(Files.readString(pin)).startsWith("vmId ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pin))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pin.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    @Order(2)
    void hostkeysProbesTheSameKeysCreateLearned() {
        Cli.Outcome hostkeys = azssh("vm", "hostkeys", "-g", GROUP, "-n", VM).assertSuccess();

        assertThat(hostkeys.stdout()).startsWith("Host keys (SHA256):\n").contains("known_hosts lines:\n");
        assertThat(created).endsWith(hostkeys.stdout());
    }

    @Test
    @Order(3)
    void sshRunsTheCommandWithEitherKey() {
        for (Path identity : List.of(rsa, ed25519)) {
            Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", VM, "-i", identity.toString(), "--", "echo", "hi");

            assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
            assertThat(ssh.stdout()).isEqualTo("hi\n");
        }
    }

    @Test
    @Order(4)
    void sshExitsWithTheRemoteExitStatusAndStreamsStderr() {
        Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", VM, "-i", rsa.toString(), "--",
                "echo oops >&2; exit 7");

        assertThat(ssh.exitCode()).isEqualTo(7);
        assertThat(ssh.stderr()).isEqualTo("oops\n");
    }

    @Test
    @Order(5)
    void sshRefusesAServerPresentingOtherHostKeysAndRunsNothing() throws Exception {
        arm.attack(VM, Attack.foreignHostKeys());
        String marker = "/tmp/azssh-cli-mitm-" + UUID.randomUUID();

        Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", VM, "-i", ed25519.toString(), "--", "touch", marker);

        ssh.assertOneLineError();
        assertThat(ssh.exitCode()).isEqualTo(Azssh.HOST_KEY_REFUSED);
        assertThat(ssh.stdout()).isEmpty();
        assertThat(ssh.stderr()).containsPattern("expected .*SHA256:\\S+.*presented .*SHA256:\\S+");
        assertThat(runOnVm("test -e " + marker + " && echo present || echo absent")).contains("absent");
    }

    @Test
    @Order(6)
    void sshRefusalInJsonIsTheLastLineOfStderrWithExitCode3() {
        Cli.Outcome ssh = azssh("ssh", "-o", "json", "-g", GROUP, "-n", VM, "-i", ed25519.toString(), "--", "true");

        assertThat(ssh.exitCode()).isEqualTo(Azssh.HOST_KEY_REFUSED);
        assertThat(ssh.stdout()).isEmpty();
        assertThat(ssh.stderr().lines()).hasSize(2);
        var error = ssh.stderrJson().get("error");
        assertThat(error.get("code").asText()).isEqualTo("HostKeyMismatch");
        assertThat(ssh.stderr()).startsWith("azssh: " + error.get("message").asText() + "\n");
    }

    @Test
    @Order(7)
    void deleteRefusesWithoutYes() {
        Cli.Outcome delete = azssh("vm", "delete", "-g", GROUP, "-n", VM);

        delete.assertOneLineError();
        assertThat(delete.stderr()).contains("add --yes");
        assertThat(resourcesOfVm()).isNotEmpty();
    }

    @Test
    @Order(8)
    void deleteRefusesAVmWithoutOurOwnerTag() throws Exception {
        String owner = vmTag(AzureVmProvisioner.OWNER_TAG);
        putVmTags("{}");
        try {
            Cli.Outcome delete = azssh("vm", "delete", "-g", GROUP, "-n", VM, "--yes");

            delete.assertOneLineError();
            assertThat(delete.stderr()).contains("has no azure-ssh-vm-owner tag").contains("not created by azssh");
            assertThat(resourcesOfVm()).isNotEmpty();
        } finally {
            putVmTags("{\"" + AzureVmProvisioner.OWNER_TAG + "\":\"" + owner + "\"}");
        }
    }

    @Test
    @Order(9)
    void deleteWithYesLeavesNothingOfTheVmAndForgetsItsPin() {
        azssh("vm", "delete", "-g", GROUP, "-n", VM, "--yes").assertSuccess();

        assertThat(resourcesOfVm()).isEmpty();
        assertThat(dir.resolve("azssh-home/pins/" + arm.subscriptionId() + "/" + GROUP + "/" + VM)).doesNotExist();
    }

    /** {@code azssh --arm-endpoint … --ca-cert … --subscription … ARGS} with the token and a private AZSSH_HOME. */
    private static Cli.Outcome azssh(String... args) {
        List<String> all = new ArrayList<>(List.of("--arm-endpoint", arm.endpoint().toString(),
                "--ca-cert", arm.caCertificatePem().toString(), "--subscription", arm.subscriptionId()));
        all.addAll(List.of(args));
        return Cli.azssh(environment, all.toArray(String[]::new));
    }

    private static List<LiveResource> resourcesOfVm() {
        return arm.inventory().stream().filter(r -> r.id().matches(".*/" + VM + "([-_][A-Za-z0-9_]+)?")).toList();
    }

    private static String vmTag(String name) throws Exception {
        AzureAccess azure = new AzureCliOptions(null, arm.endpoint(), arm.caCertificatePem(), arm.subscriptionId())
                .connect(TOKEN);
        return azure.compute().virtualMachines().getByResourceGroup(GROUP, VM).tags().get(name);
    }

    /** Replaces the VM's tags with a raw ARM PUT (the emulator then changes nothing but the tags). */
    private static void putVmTags(String tagsJson) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(arm.trustStore())) {
            trust.load(in, arm.trustStorePassword().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        URI vm = arm.endpoint().resolve("subscriptions/" + arm.subscriptionId() + "/resourceGroups/" + GROUP
                + "/providers/Microsoft.Compute/virtualMachines/" + VM + "?api-version=2025-04-01");
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(tls).build().send(
                HttpRequest.newBuilder(vm).header("Authorization", "Bearer x").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westeurope\",\"tags\":" + tagsJson + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static String runOnVm(String script) throws Exception {
        AzureAccess azure = new AzureCliOptions(null, arm.endpoint(), arm.caCertificatePem(), arm.subscriptionId())
                .connect(TOKEN);
        return new RunCommand(azure).runShellScript(new VmLookup(azure).read(GROUP, VM, Duration.ofMinutes(1)),
                List.of(script), Duration.ofMinutes(1));
    }
}
