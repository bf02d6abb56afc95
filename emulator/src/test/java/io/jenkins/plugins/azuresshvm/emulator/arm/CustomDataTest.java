package io.jenkins.plugins.azuresshvm.emulator.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.emulator.vm.HostKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CustomDataTest {

    private static final String SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n-----END OPENSSH PRIVATE KEY-----\n";

    private static final String CLOUD_CONFIG = """
            #cloud-config
            package_update: true
            runcmd:
              - [systemctl, restart, ssh]
            write_files:
              - path: /etc/ssh/sshd_config.d/50-port.conf
                content: "Port 2222\\n"
            ssh_keys:
              ed25519_private: |
                -----BEGIN OPENSSH PRIVATE KEY-----
                c2VjcmV0
                -----END OPENSSH PRIVATE KEY-----
              ed25519_public: ssh-ed25519 AAAAC3 root@given
              rsa_private: "rsa private"
              dsa_private: ignored
              rsa_certificate: ignored
            """;

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesTheSshKeysOfACloudConfigAndIgnoresTheRest() {
        List<HostKeyPair> keys = CustomData.hostKeys(base64(CLOUD_CONFIG));

        assertThat(keys).containsExactly(
                new HostKeyPair("rsa", "rsa private", null),
                new HostKeyPair("ed25519", SECRET, "ssh-ed25519 AAAAC3 root@given"));
        assertThat(keys.toString()).doesNotContain("c2VjcmV0").doesNotContain("rsa private");
    }

    @Test
    void withoutSshKeysOrCloudConfigTheVmKeepsGeneratedKeys() {
        assertThat(CustomData.hostKeys(null)).isEmpty();
        assertThat(CustomData.hostKeys(base64("#cloud-config\nruncmd: [[touch, /tmp/x]]\n"))).isEmpty();
        assertThat(CustomData.hostKeys(base64("#cloud-config\n"))).isEmpty();
        assertThat(CustomData.hostKeys(base64("#!/bin/bash\necho hello: [\n"))).isEmpty();
        assertThat(CustomData.hostKeys(base64("not: [valid yaml, but not cloud-config either"))).isEmpty();
    }

    @Test
    void readsTheCloudConfigPartsOfAMimeMultipartMessage() {
        String mime = """
                Content-Type: multipart/mixed; boundary="===============4213=="
                MIME-Version: 1.0

                --===============4213==
                Content-Type: text/x-shellscript; charset="us-ascii"
                MIME-Version: 1.0

                #!/bin/sh
                echo ssh_keys: [
                --===============4213==
                Content-Type: text/cloud-config; charset="us-ascii"
                MIME-Version: 1.0
                Content-Transfer-Encoding: base64

                %s
                --===============4213==--
                """.formatted(base64("ssh_keys:\n  ecdsa_private: the key\n  ecdsa_public: ecdsa-sha2-nistp256 AAAA\n"))
                .replace("\n", "\r\n");

        assertThat(CustomData.hostKeys(base64(mime)))
                .containsExactly(new HostKeyPair("ecdsa", "the key", "ecdsa-sha2-nistp256 AAAA"));
    }

    @Test
    void readsGzippedUserData() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write("#cloud-config\nssh_keys:\n  ed25519_private: k\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(CustomData.hostKeys(Base64.getEncoder().encodeToString(gzipped.toByteArray())))
                .containsExactly(new HostKeyPair("ed25519", "k", null));
    }

    @Test
    void refusesInvalidBase64() {
        assertRefused("#cloud-config", "is not base64 encoded");
        assertRefused("abc", "is not base64 encoded");
        assertRefused(base64("x") + "!", "is not base64 encoded");
    }

    @Test
    void refusesMoreThan64KiB() {
        assertRefused(base64("#cloud-config\n#" + "x".repeat(65535)), "maximum length of 87380 characters");
    }

    @Test
    void refusesCloudConfigThatIsNotYamlWithoutQuotingIt() {
        String broken = "#cloud-config\nssh_keys:\n  ed25519_private: |\n    " + SECRET.replace("\n", "\n    ")
                + "\n  ed25519_public: [unclosed\n";

        assertThatThrownBy(() -> CustomData.hostKeys(base64(broken)))
                .isInstanceOfSatisfying(ArmError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidParameter");
                    assertThat(e.target()).isEqualTo("osProfile.customData");
                    assertThat(e.getMessage()).contains("not valid YAML (line ").doesNotContain("c2VjcmV0")
                            .doesNotContain("unclosed");
                });
    }

    @Test
    void refusesSshKeysThatGiveTheVmNoHostKey() {
        assertRefused(base64("#cloud-config\nssh_keys: [rsa_private]\n"), "ssh_keys that is not a mapping");
        assertRefused(base64("#cloud-config\nssh_keys:\n  rsa_private: [a, b]\n"),
                "ssh_keys.rsa_private that is not a string");
        assertRefused(base64("#cloud-config\nssh_keys:\n  rsa_public: ssh-rsa AAAA\n"),
                "without a private key of type rsa, ecdsa or ed25519");
        assertRefused(base64("#cloud-config\n- a list\n"), "is not a mapping");
    }

    private static void assertRefused(String customData, String message) {
        assertThatThrownBy(() -> CustomData.hostKeys(customData))
                .isInstanceOfSatisfying(ArmError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidParameter");
                    assertThat(e.target()).isEqualTo("osProfile.customData");
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
