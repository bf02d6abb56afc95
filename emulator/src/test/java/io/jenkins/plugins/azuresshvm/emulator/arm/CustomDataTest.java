package io.jenkins.plugins.azuresshvm.emulator.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.emulator.vm.HostKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
        List<HostKeyPair> keys = CustomData.read(base64(CLOUD_CONFIG)).hostKeys();

        assertThat(keys).containsExactly(
                new HostKeyPair("rsa", "rsa private", null),
                new HostKeyPair("ed25519", SECRET, "ssh-ed25519 AAAAC3 root@given"));
        assertThat(keys.toString()).doesNotContain("c2VjcmV0").doesNotContain("rsa private");
    }

    @Test
    void movesSshdToThePortOfTheSshdDropInsAndKeepsThemForTheVm() {
        CustomData data = CustomData.read(base64(CLOUD_CONFIG));

        assertThat(data.sshPort()).isEqualTo(2222);
        assertThat(data.sshdDropIns()).containsExactly(Map.entry("50-port.conf", "Port 2222\n"));
    }

    @Test
    void readsPortsAsSshdDoesAndIgnoresOtherFilesAndDirectives() {
        String cloudConfig = """
                #cloud-config
                write_files:
                  - path: /etc/ssh/sshd_config.d/90-other.conf
                    content: |
                      # Port 1
                      PasswordAuthentication no
                      Include /etc/ssh/more.d/*.conf
                      port=2200
                  - path: /etc/ssh/sshd_config.d/10-first.conf
                    encoding: b64
                    content: %s
                  - path: /etc/ssh/sshd_config.d/10-first.conf
                    append: true
                    content: "Match User deploy\\n  X11Forwarding no\\n"
                  - path: /etc/ssh/sshd_config.d/.hidden.conf
                    content: "Port 3333\\n"
                  - path: /etc/ssh/sshd_config.d/notes.txt
                    content: "Port 4444\\n"
                  - path: /etc/ssh/sshd_config
                    content: "Port 5555\\n"
                  - path: /etc/motd
                    content: hello
                """.formatted(base64("  PORT   2200  \n\n"));

        CustomData data = CustomData.read(base64(cloudConfig));

        assertThat(data.sshPort()).isEqualTo(2200);
        assertThat(data.sshdDropIns().keySet()).containsExactly("10-first.conf", "90-other.conf");
        assertThat(data.sshdDropIns().get("10-first.conf")).isEqualTo("  PORT   2200  \n\nMatch User deploy\n"
                + "  X11Forwarding no\n");
        assertThat(CustomData.read(base64("#cloud-config\nwrite_files:\n  - path: /etc/motd\n")).sshPort())
                .isEqualTo(22);
        assertThat(CustomData.read(null).sshPort()).isEqualTo(22);
    }

    @Test
    void refusesPortsTheVmCannotListenOnNamingFileAndLine() {
        for (String value : List.of("0", "65536", "ssh", "2222 2223", "-1", "")) {
            assertRefused(dropIn("50-port.conf", "# moved\nPort " + value + "\n"),
                    "/etc/ssh/sshd_config.d/50-port.conf line 2 has Port '" + value.strip() + "'");
        }
        assertRefused(dropIn("50-port.conf", "Match Address 10.0.0.0/8\n  Port 2222\n"),
                "/etc/ssh/sshd_config.d/50-port.conf line 2 has Port within a Match block");
        assertRefused(base64("#cloud-config\nwrite_files:\n"
                        + "  - {path: /etc/ssh/sshd_config.d/b.conf, content: \"Port 2200\\n\"}\n"
                        + "  - {path: /etc/ssh/sshd_config.d/a.conf, content: \"Port 2222\\nPort 2222\\n\"}\n"),
                "several ports: 2222 (/etc/ssh/sshd_config.d/a.conf line 2) and 2200"
                        + " (/etc/ssh/sshd_config.d/b.conf line 1)");
        assertRefused(base64("#cloud-config\nwrite_files:\n  - path: /etc/ssh/sshd_config.d/a.conf\n"
                + "    encoding: gzip\n    content: x\n"), "write_files[0] (/etc/ssh/sshd_config.d/a.conf) with"
                + " encoding 'gzip'");
        assertRefused(base64("#cloud-config\nwrite_files: {path: /etc/x}\n"), "write_files that is not a list");
    }

    private static String dropIn(String name, String content) {
        return base64("#cloud-config\nwrite_files:\n  - path: /etc/ssh/sshd_config.d/" + name + "\n    content: |\n"
                + content.lines().map(line -> "      " + line + "\n").reduce("", String::concat));
    }

    @Test
    void withoutSshKeysOrCloudConfigTheVmKeepsGeneratedKeys() {
        assertThat(CustomData.read(null).hostKeys()).isEmpty();
        assertThat(CustomData.read(base64("#cloud-config\nruncmd: [[touch, /tmp/x]]\n")).hostKeys()).isEmpty();
        assertThat(CustomData.read(base64("#cloud-config\n")).hostKeys()).isEmpty();
        assertThat(CustomData.read(base64("#!/bin/bash\necho hello: [\n")).hostKeys()).isEmpty();
        assertThat(CustomData.read(base64("not: [valid yaml, but not cloud-config either")).hostKeys()).isEmpty();
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

        assertThat(CustomData.read(base64(mime)).hostKeys())
                .containsExactly(new HostKeyPair("ecdsa", "the key", "ecdsa-sha2-nistp256 AAAA"));
    }

    @Test
    void readsGzippedUserData() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write("#cloud-config\nssh_keys:\n  ed25519_private: k\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(CustomData.read(Base64.getEncoder().encodeToString(gzipped.toByteArray())).hostKeys())
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

        assertThatThrownBy(() -> CustomData.read(base64(broken)).hostKeys())
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
        assertThatThrownBy(() -> CustomData.read(customData))
                .isInstanceOfSatisfying(ArmError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidParameter");
                    assertThat(e.target()).isEqualTo("osProfile.customData");
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
