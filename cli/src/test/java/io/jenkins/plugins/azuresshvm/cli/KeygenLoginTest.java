package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.KeygenCommandTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import io.jenkins.plugins.azuresshvm.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys made by {@code azssh keygen} log in to a real sshd with the real ssh client. */
class KeygenLoginTest {

    @TempDir
    Path dir;

    @Test
    void anRsaPemKeyAndAnEncryptedEd25519KeyLogInToARealSshd() throws Exception {
        Path rsa = dir.resolve("id_rsa");
        Path ed25519 = dir.resolve("id_ed25519");
        azssh("keygen", "-b", "2048", "-C", "rsa login", "-f", rsa.toString()).assertSuccess();
        azssh("keygen", "-t", "ed25519", "-N", "login passphrase", "-f", ed25519.toString()).assertSuccess();
        List<String> authorized = List.of(Files.readString(pub(rsa)).strip(), Files.readString(pub(ed25519)).strip());

        try (TestSshd sshd = TestSshd.start(dir.resolve("sshd"), authorized)) {
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " "
                    + Files.readString(sshd.hostPublicKey("ed25519")));
            String user = System.getProperty("user.name");

            OpenSsh.Result withRsa = sshd.login(rsa, null, knownHosts);
            OpenSsh.Result withEd25519 = sshd.login(ed25519, "login passphrase", knownHosts);

            assertThat(withRsa.exitCode()).as("ssh with the RSA key: %s%n%s", withRsa.stderr(), sshd.log()).isZero();
            assertThat(withRsa.stdout()).isEqualTo("logged-in-as-" + user + "\n");
            assertThat(withEd25519.exitCode()).as("ssh with the Ed25519 key: %s%n%s", withEd25519.stderr(),
                    sshd.log()).isZero();
            assertThat(withEd25519.stdout()).isEqualTo("logged-in-as-" + user + "\n");
        }
    }
}
