package io.jenkins.plugins.azuresshvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureCliOptions;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code azssh vm create --generate-ssh-keys | --tags | --no-public-ip} and the JSON of the vm and ssh commands,
 * against the ARM emulator over HTTPS with real sshd VMs, in a temporary {@code $HOME}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmCreateOptionsTest {
    private static final String GROUP = "rg-cli-options";
    private static final String VM = "cli-genkeys";
    private static final String SECOND_VM = "cli-reuse";
    private static final String PRIVATE_VM = "cli-private";

    @TempDir
    static Path dir;

    private static ArmEmulator arm;
    private static Path home;
    private static Map<String, String> environment;
    private static JsonNode created;
    private static String privateKeyText;
    private static FileTime privateKeyModified;

    @BeforeAll
    static void startEmulator() throws Exception {
        EmulatorRequirements.assumeMet();
        arm = ArmEmulator.builder().start();
        home = Files.createDirectory(dir.resolve("home"));
        environment = Map.of("AZURE_ACCESS_TOKEN", "x", "HOME", home.toString());
    }

    @AfterAll
    static void stopEmulator() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    @Order(1)
    void generateSshKeysCreatesIdRsaAndTheVmGetsItsPublicKeyAndTheTags() throws Exception {
        Cli.Outcome create = azssh("vm", "create", "-g", GROUP, "-n", VM, "-l", "westeurope", "--new-resource-group",
                "--generate-ssh-keys", "--ssh-source", "127.0.0.1/32", "--tags", "env=ci", "note=a=b", "flag",
                "--output", "json").assertSuccess();

        Path privateKey = home.resolve(".ssh/id_rsa");
        Path publicKey = home.resolve(".ssh/id_rsa.pub");
        assertThat(permissions(home.resolve(".ssh"))).isEqualTo("rwx------");
        assertThat(permissions(privateKey)).isEqualTo("rw-------");
        assertThat(permissions(publicKey)).isEqualTo("rw-r--r--");
        privateKeyText = Files.readString(privateKey);
        privateKeyModified = Files.getLastModifiedTime(privateKey);
        assertThat(privateKeyText).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(Cli.sshKeygen("-l", "-f", publicKey.toString())).startsWith("4096 SHA256:");
        assertThat(create.stderr()).contains("SSH key files " + privateKey + " and " + publicKey + " created");

        created = create.json();
        assertThat(create.output()).doesNotContain("PRIVATE KEY").doesNotContain(privateKeyText.lines().skip(1)
                .findFirst().orElseThrow());
        assertThat(created.get("generatedPrivateKeyFile").asText()).isEqualTo(privateKey.toString());
        assertThat(created.get("sshKeys")).hasSize(1);
        assertThat(created.get("sshKeys").get(0).get("publicKey").asText())
                .isEqualTo(Cli.keyText(Files.readString(publicKey)));
        assertThat(Cli.sshKeygen("-l", "-f", publicKey.toString()))
                .contains(" " + created.get("sshKeys").get(0).get("fingerprint").asText() + " ");
        assertThat(created.get("id").asText()).isEqualTo("/subscriptions/" + arm.subscriptionId() + "/resourceGroups/"
                + GROUP + "/providers/Microsoft.Compute/virtualMachines/" + VM);
        assertThat(created.get("vmId").asText()).isNotBlank();
        assertThat(created.get("resourceGroup").asText()).isEqualTo(GROUP);
        assertThat(created.get("name").asText()).isEqualTo(VM);
        assertThat(created.get("publicIp").asText()).matches("127\\.0\\.0\\.\\d+");
        assertThat(created.get("host").asText()).isEqualTo(created.get("publicIp").asText());
        assertThat(created.get("fqdn").isNull()).isTrue();
        assertThat(created.get("privateIp").asText()).matches("10\\.0\\.0\\.\\d+");
        assertThat(created.get("sshPort").asInt()).isEqualTo(22);
        assertThat(created.get("adminUsername").asText()).isEqualTo("azureuser");
        assertThat(created.get("hostKeys")).isNotEmpty().allSatisfy(key -> {
            assertThat(key.get("fingerprint").asText()).startsWith("SHA256:");
            assertThat(key.get("publicKey").asText()).startsWith(key.get("type").asText().equals("RSA") ? "ssh-rsa "
                    : key.get("type").asText().equals("ED25519") ? "ssh-ed25519 " : "ecdsa-sha2-");
        });
        assertThat(created.get("knownHosts")).hasSameSizeAs(created.get("hostKeys"))
                .allSatisfy(line -> assertThat(line.asText()).startsWith(created.get("host").asText() + " "));
        assertThat(created.get("pinFile").asText())
                .isEqualTo(home.resolve(".azssh/pins/" + arm.subscriptionId() + "/" + GROUP + "/" + VM).toString());
        assertThat(created.get("knownHostsFile").isNull()).isTrue();
        assertThat(created.get("tags").properties()).extracting(Map.Entry::getKey)
                .containsExactly("env", "note", "flag");
        assertThat(created.get("tags").get("note").asText()).isEqualTo("a=b");

        Map<String, String> tags = azure().compute().virtualMachines().getByResourceGroup(GROUP, VM).tags();
        assertThat(tags).containsEntry("env", "ci").containsEntry("note", "a=b").containsEntry("flag", "")
                .containsKey(AzureVmProvisioner.OWNER_TAG);
        assertThat(azure().network().networkSecurityGroups().getByResourceGroup(GROUP, VM + "-nsg").tags())
                .containsEntry("env", "ci");
    }

    @Test
    @Order(2)
    void sshLogsInWithTheGeneratedKeyAndReportsTheConnectionAsJsonOnStderr() {
        Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", VM, "-o", "json", "--", "echo hi; printf oops >&2");

        assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
        assertThat(ssh.stdout()).isEqualTo("hi\n");
        assertThat(ssh.stderr()).startsWith("oops\n{");
        JsonNode report = ssh.stderrJson();
        assertThat(report.get("resourceGroup").asText()).isEqualTo(GROUP);
        assertThat(report.get("name").asText()).isEqualTo(VM);
        assertThat(report.get("vmId").asText()).isEqualTo(created.get("vmId").asText());
        assertThat(report.get("host").asText()).isEqualTo(created.get("host").asText());
        assertThat(report.get("port").asInt()).isEqualTo(22);
        assertThat(report.get("user").asText()).isEqualTo("azureuser");
        assertThat(report.get("identity").asText()).isEqualTo(home.resolve(".ssh/id_rsa").toString());
        assertThat(report.get("hostKeyAlgorithm").asText()).isNotBlank();
        assertThat(fingerprints(created.get("hostKeys"))).contains(report.get("hostKey").get("fingerprint").asText());
        assertThat(report.get("repinned").asBoolean()).isFalse();
        assertThat(report.get("exitStatus").asInt()).isZero();
    }

    @Test
    @Order(3)
    void sshExitStatusAndErrorsInJson() {
        Cli.Outcome failed = azssh("ssh", "-g", GROUP, "-n", VM, "-o", "json", "--", "exit 5");
        assertThat(failed.exitCode()).isEqualTo(5);
        assertThat(failed.stdout()).isEmpty();
        assertThat(failed.stderrJson().get("exitStatus").asInt()).isEqualTo(5);

        Cli.Outcome missing = azssh("ssh", "-g", GROUP, "-n", "no-such-vm", "-o", "json", "--", "true");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stdout()).isEmpty();
        JsonNode error = missing.stderrJson().get("error");
        assertThat(error.get("code").asText()).isEqualTo("AzureError");
        assertThat(error.get("message").asText()).contains("no-such-vm");
    }

    @Test
    @Order(4)
    void hostkeysJsonHasTheKeysCreateLearned() {
        JsonNode hostkeys = azssh("vm", "hostkeys", "-g", GROUP, "-n", VM, "-o", "json").assertSuccess().json();

        assertThat(hostkeys.get("resourceGroup").asText()).isEqualTo(GROUP);
        assertThat(hostkeys.get("name").asText()).isEqualTo(VM);
        assertThat(hostkeys.get("vmId").asText()).isEqualTo(created.get("vmId").asText());
        assertThat(hostkeys.get("host").asText()).isEqualTo(created.get("host").asText());
        assertThat(hostkeys.get("sshPort").asInt()).isEqualTo(22);
        assertThat(hostkeys.get("hostKeys")).isEqualTo(created.get("hostKeys"));
        assertThat(hostkeys.get("knownHosts")).isEqualTo(created.get("knownHosts"));
    }

    @Test
    @Order(5)
    void generateSshKeysReusesTheExistingPairUntouched() throws Exception {
        Cli.Outcome create = azssh("vm", "create", "-g", GROUP, "-n", SECOND_VM, "-l", "westeurope",
                "--generate-ssh-keys", "--ssh-source", "127.0.0.1/32", "-o", "json").assertSuccess();

        JsonNode json = create.json();
        assertThat(json.get("generatedPrivateKeyFile").isNull()).isTrue();
        assertThat(json.get("sshKeys")).isEqualTo(created.get("sshKeys"));
        assertThat(json.get("tags").isEmpty()).isTrue();
        assertThat(create.stderr()).contains("Using the existing " + home.resolve(".ssh/id_rsa.pub"));
        assertThat(Files.readString(home.resolve(".ssh/id_rsa"))).isEqualTo(privateKeyText);
        assertThat(Files.getLastModifiedTime(home.resolve(".ssh/id_rsa"))).isEqualTo(privateKeyModified);
        assertThat(KeygenCommandTest.list(home.resolve(".ssh"))).containsExactly("id_rsa", "id_rsa.pub");

        Cli.Outcome ssh = azssh("ssh", "-g", GROUP, "-n", SECOND_VM, "--", "echo", "again");
        assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
        assertThat(ssh.stdout()).isEqualTo("again\n");
    }

    @Test
    @Order(6)
    void deleteJsonNamesWhatWasDeleted() {
        for (String vm : List.of(VM, SECOND_VM)) {
            JsonNode deleted = azssh("vm", "delete", "-g", GROUP, "-n", vm, "--yes", "-o", "json").assertSuccess()
                    .json();

            assertThat(deleted.get("resourceGroup").asText()).isEqualTo(GROUP);
            assertThat(deleted.get("name").asText()).isEqualTo(vm);
            assertThat(deleted.get("vmId").asText()).isNotBlank();
            assertThat(deleted.get("unpinned").asBoolean()).isTrue();
            assertThat(StreamSupport.stream(deleted.get("deleted").spliterator(), false).map(JsonNode::asText))
                    .hasSize(6)
                    .anyMatch(id -> id.endsWith("/virtualMachines/" + vm))
                    .anyMatch(id -> id.endsWith("/publicIPAddresses/" + vm + "-ip"))
                    .anyMatch(id -> id.endsWith("/virtualNetworks/" + vm + "-vnet"));
            assertThat(resourcesOf(vm)).isEmpty();
        }
        assertThat(fingerprints(created.get("hostKeys"))).isNotEmpty();
    }

    @Test
    @Order(7)
    void noPublicIpCreatesNoPublicIpAndConnectsToThePrivateIp() throws Exception {
        // a subnet of loopback addresses where nothing listens: the private IP refuses TCP on any machine (other
        // private ranges may be answered by a transparent proxy)
        String subnet = azure().network().networks().define("loopback-net").withRegion("westeurope")
                .withExistingResourceGroup(GROUP).withAddressSpace("127.1.0.0/16").withSubnet("default", "127.1.0.0/24")
                .create().subnets().get("default").id();

        Cli.Outcome create = azssh("vm", "create", "-g", GROUP, "-n", PRIVATE_VM, "-l", "westeurope",
                "--ssh-key-values", home.resolve(".ssh/id_rsa.pub").toString(), "--ssh-source", "10.0.0.0/8",
                "--subnet", subnet, "--no-public-ip", "--timeout", "PT10S", "-o", "json");

        // the launcher waits for SSH on the private IP, then deletes what it created
        assertThat(create.exitCode()).isEqualTo(1);
        JsonNode error = create.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("AzureError");
        assertThat(error.get("message").asText()).startsWith("provisioning VM " + PRIVATE_VM
                + " failed while waiting for the SSH port of VM " + PRIVATE_VM + ": ")
                .containsPattern("SSH port 127\\.1\\.0\\.\\d+:22 of VM " + PRIVATE_VM + " did not open in time; deleted VM "
                        + PRIVATE_VM);
        assertThat(create.stderr()).contains("(NSG, vnet, NIC, VM)").contains("on the private IP");
        assertThat(arm.requestLog()).noneMatch(request -> request.path().contains("/publicIPAddresses/" + PRIVATE_VM));
        assertThat(arm.requestLog()).anyMatch(request -> request.method().equals("PUT")
                && request.path().contains("/virtualMachines/" + PRIVATE_VM));
        assertThat(resourcesOf(PRIVATE_VM)).isEmpty();
        assertThat(arm.inventory()).anyMatch(resource -> resource.id().equals(subnet.replaceAll("/subnets/.*", "")));
    }

    /** {@code azssh --arm-endpoint … --ca-cert … --subscription … ARGS} with the token and the temporary HOME. */
    private static Cli.Outcome azssh(String... args) {
        List<String> all = new ArrayList<>(List.of("--arm-endpoint", arm.endpoint().toString(),
                "--ca-cert", arm.caCertificatePem().toString(), "--subscription", arm.subscriptionId()));
        all.addAll(List.of(args));
        return Cli.azssh(environment, all.toArray(String[]::new));
    }

    private static AzureAccess azure() throws Exception {
        return new AzureCliOptions(null, arm.endpoint(), arm.caCertificatePem(), arm.subscriptionId())
                .connect(environment);
    }

    private static List<LiveResource> resourcesOf(String vm) {
        return arm.inventory().stream().filter(r -> r.id().matches(".*/" + vm + "([-_][A-Za-z0-9_]+)?")).toList();
    }

    private static List<String> fingerprints(JsonNode keys) {
        return StreamSupport.stream(keys.spliterator(), false).map(key -> key.get("fingerprint").asText()).toList();
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
