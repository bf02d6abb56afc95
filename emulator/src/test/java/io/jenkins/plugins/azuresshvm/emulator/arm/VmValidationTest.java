package io.jenkins.plugins.azuresshvm.emulator.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VmValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"admin", "Administrator", "root", "user", "test", "guest", "sys", "1", "a b", "x.", "-x",
        "semi;colon", ""})
    void refusesAdminUsernames(String name) {
        assertRefused(() -> VmValidation.adminUsername(name), "adminUsername");
    }

    @ParameterizedTest
    @ValueSource(strings = {"azureuser", "jenkins", "ci_agent", "build-01"})
    void acceptsAdminUsernames(String name) {
        VmValidation.adminUsername(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"_vm", "vm.", "vm-", "a/b", "a@b", "with space", "..", ""})
    void refusesVmNames(String name) {
        assertRefused(() -> VmValidation.vmName(name), "vmName");
    }

    @Test
    void acceptsVmNamesUpTo64Characters() {
        VmValidation.vmName("vm-1.a_b");
        VmValidation.vmName("v".repeat(64));
        assertRefused(() -> VmValidation.vmName("v".repeat(65)), "vmName");
    }

    @Test
    void refusesMalformedKeys() {
        String key = VmValidation.KEY_TARGET;
        assertRefused(() -> VmValidation.sshPublicKey("ssh-ed25519"), key);
        assertRefused(() -> VmValidation.sshPublicKey("ssh-ed25519 !!!notbase64"), key);
        assertRefused(() -> VmValidation.sshPublicKey("ssh-ed25519 " + blob("ssh-ed25519", new byte[31])), key);
        assertRefused(() -> VmValidation.sshPublicKey("ssh-rsa " + blob("ssh-ed25519", new byte[32])), key);
        assertRefused(() -> VmValidation.sshPublicKey("ssh-dss " + blob("ssh-dss", new byte[32])), key);
        String truncated = blob("ssh-ed25519", new byte[32]);
        assertRefused(() -> VmValidation.sshPublicKey("ssh-ed25519 " + truncated.substring(0, 40)), key);
    }

    @Test
    void acceptsEd25519AndTrimsTheLine() {
        String line = "ssh-ed25519 " + blob("ssh-ed25519", new byte[32]) + " me@host";
        assertThat(VmValidation.sshPublicKey("  " + line + "\r\n")).isEqualTo(line);
    }

    private static String blob(String type, byte[] key) {
        byte[] label = type.getBytes(StandardCharsets.US_ASCII);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8 + label.length + key.length)
                .putInt(label.length).put(label).putInt(key.length).put(key).array());
    }

    private static void assertRefused(Runnable check, String target) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ArmError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("InvalidParameter");
            assertThat(e.target()).isEqualTo(target);
        });
    }
}
