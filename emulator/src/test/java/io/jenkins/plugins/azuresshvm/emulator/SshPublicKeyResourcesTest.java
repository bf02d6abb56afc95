package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.SshPublicKeysClient;
import com.azure.resourcemanager.compute.fluent.models.SshPublicKeyGenerateKeyPairResultInner;
import com.azure.resourcemanager.compute.fluent.models.SshPublicKeyResourceInner;
import com.azure.resourcemanager.compute.models.SshEncryptionTypes;
import com.azure.resourcemanager.compute.models.SshGenerateKeyPairInputParameters;
import com.azure.resourcemanager.compute.models.SshPublicKeyUpdateResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH public key resources through the SDK's {@code getSshPublicKeys()} client; generated private keys are checked
 * with the real {@code ssh-keygen}.
 */
class SshPublicKeyResourcesTest {

    private static final String GROUP = "rg-keys";

    @RegisterExtension
    static final ArmEmulatorExtension ARM = new ArmEmulatorExtension(ArmEmulator.builder().runtime(FakeVmRuntime::new));

    private static SshPublicKeysClient keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void sdk(ArmEmulator emulator) throws Exception {
        ComputeManager compute = Sdk.compute(emulator);
        compute.resourceManager().resourceGroups().define(GROUP).withRegion(Sdk.REGION).create();
        keys = compute.serviceClient().getSshPublicKeys();
    }

    @Test
    void generatesAnRsa3072KeyPairWhoseHalvesSshKeygenMatches(ArmEmulator emulator) throws Exception {
        keys.create(GROUP, "generated-rsa", new SshPublicKeyResourceInner().withLocation(Sdk.REGION.name()));

        SshPublicKeyGenerateKeyPairResultInner pair = keys.generateKeyPair(GROUP, "generated-rsa");

        assertThat(pair.id()).endsWith("/resourceGroups/" + GROUP + "/providers/Microsoft.Compute/sshPublicKeys/"
                + "generated-rsa");
        assertThat(pair.privateKey()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        Path privateKey = writePrivate(pair.privateKey());
        assertThat(fields(sshKeygen("-y", "-f", privateKey.toString()), 2)).isEqualTo(fields(pair.publicKey(), 2));
        assertThat(sshKeygen("-l", "-f", privateKey.toString())).startsWith("3072 SHA256:").endsWith("(RSA)\n");
        assertThat(keys.getByResourceGroup(GROUP, "generated-rsa").publicKey()).isEqualTo(pair.publicKey());

        String stored = Sdk.raw(emulator, "GET", "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                + GROUP + "/providers/Microsoft.Compute/sshPublicKeys/generated-rsa?api-version=2025-04-01", "t",
                null).body();
        assertThat(stored).contains(fields(pair.publicKey(), 2)).doesNotContain("PRIVATE");
    }

    @Test
    void generatesAnEd25519KeyPairInOpenSshFormatWhenAsked() throws Exception {
        keys.create(GROUP, "generated-ed25519", new SshPublicKeyResourceInner().withLocation(Sdk.REGION.name()));

        SshPublicKeyGenerateKeyPairResultInner pair = keys.generateKeyPairWithResponse(GROUP, "generated-ed25519",
                new SshGenerateKeyPairInputParameters().withEncryptionType(SshEncryptionTypes.ED25519), Context.NONE)
                .getValue();

        assertThat(pair.privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(pair.publicKey()).startsWith("ssh-ed25519 ");
        Path privateKey = writePrivate(pair.privateKey());
        assertThat(fields(sshKeygen("-y", "-f", privateKey.toString()), 2)).isEqualTo(fields(pair.publicKey(), 2));
        assertThat(keys.getByResourceGroup(GROUP, "generated-ed25519").publicKey()).isEqualTo(pair.publicKey());
    }

    @Test
    void createsReadsPatchesListsAndDeletesAKey() throws Exception {
        String rsa = SshKeys.rsa(2048);
        String ed25519 = SshKeys.ed25519();
        SshPublicKeyResourceInner created = keys.create(GROUP, "given", new SshPublicKeyResourceInner()
                .withLocation(Sdk.REGION.name()).withPublicKey(rsa).withTags(Map.of("owner", "alice")));
        assertThat(created.publicKey()).isEqualTo(rsa);
        assertThat(created.type()).isEqualTo("Microsoft.Compute/sshPublicKeys");

        SshPublicKeyResourceInner patched = keys.update(GROUP, "given", new SshPublicKeyUpdateResource()
                .withPublicKey(ed25519).withTags(Map.of("owner", "bob")));
        assertThat(patched.publicKey()).isEqualTo(ed25519);
        assertThat(keys.getByResourceGroup(GROUP, "given").tags()).containsExactly(Map.entry("owner", "bob"));
        assertThat(keys.listByResourceGroup(GROUP)).extracting(SshPublicKeyResourceInner::name).contains("given");
        assertThat(keys.list()).extracting(SshPublicKeyResourceInner::name).contains("given");

        keys.delete(GROUP, "given");
        assertThatThrownBy(() -> keys.getByResourceGroup(GROUP, "given"))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
    }

    @Test
    void rejectsAPublicKeyAzureWouldRefuseAndAnUnknownEncryptionType() throws Exception {
        String shortRsa = SshKeys.rsa(1024);
        assertThatThrownBy(() -> keys.create(GROUP, "weak", new SshPublicKeyResourceInner()
                        .withLocation(Sdk.REGION.name()).withPublicKey(shortRsa)))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getTarget()).isEqualTo("publicKey");
                    assertThat(e.getValue().getMessage()).contains("1024 bits");
                });

        keys.create(GROUP, "dsa", new SshPublicKeyResourceInner().withLocation(Sdk.REGION.name()));
        assertThatThrownBy(() -> keys.generateKeyPairWithResponse(GROUP, "dsa", new SshGenerateKeyPairInputParameters()
                        .withEncryptionType(SshEncryptionTypes.fromString("DSA")), Context.NONE))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getMessage()).contains("'DSA'", "RSA or Ed25519");
                });
    }

    /** The private key in a file only its owner can read, as ssh-keygen demands. */
    private Path writePrivate(String pem) throws Exception {
        Path file = Files.createFile(dir.resolve("id"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem);
        return file;
    }

    private static String fields(String line, int count) {
        return String.join(" ", List.of(line.strip().split(" ")).subList(0, count));
    }

    private static String sshKeygen(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh-keygen"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(Path.of("/dev/null").toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
