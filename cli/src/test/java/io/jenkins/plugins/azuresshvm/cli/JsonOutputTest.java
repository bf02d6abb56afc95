package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.Cli.keyText;
import static io.jenkins.plugins.azuresshvm.cli.Cli.sshKeygen;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output json} of the key commands and of errors, checked against the real ssh-keygen: one JSON line on
 * stdout with the fields docs/cli.md lists, never key material; text stays the default.
 */
class JsonOutputTest {
    @TempDir
    Path dir;

    @Test
    void keygenDescribesTheFilesAndThePublicKeyButNeverThePrivateKeyNorThePassphrase() throws Exception {
        Path key = dir.resolve("id_ed25519");

        Cli.Outcome keygen = azssh(Map.of(Passphrases.ENVIRONMENT_VARIABLE, "s3cret-phrase"),
                "keygen", "-t", "ed25519", "-C", "me@ci", "-f", key.toString(), "--output", "json").assertSuccess();

        JsonNode json = keygen.json();
        assertThat(json.get("privateKeyFile").asText()).isEqualTo(key.toString());
        assertThat(json.get("publicKeyFile").asText()).isEqualTo(key + ".pub");
        assertThat(json.get("format").asText()).isEqualTo("openssh");
        assertThat(json.get("encrypted").asBoolean()).isTrue();
        assertThat(json.get("comment").asText()).isEqualTo("me@ci");
        String publicLine = Files.readString(Path.of(key + ".pub"));
        assertThat(json.get("key").get("publicKey").asText()).isEqualTo(keyText(publicLine));
        assertThat(json.get("key").get("type").asText()).isEqualTo("ED25519");
        assertThat(json.get("key").get("bits").asInt()).isEqualTo(256);
        assertThat(sshKeygen("-l", "-f", key + ".pub")).contains(" " + json.get("key").get("fingerprint").asText() + " ");
        assertThat(keygen.output()).doesNotContain("PRIVATE KEY").doesNotContain("s3cret-phrase")
                .doesNotContain(Files.readString(key).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void theOptionIsGlobalAndIgnoresCase() {
        Path key = dir.resolve("k");

        JsonNode json = azssh("-o", "JSON", "keygen", "-t", "ed25519", "-N", "", "-f", key.toString())
                .assertSuccess().json();

        assertThat(json.get("encrypted").asBoolean()).isFalse();
        assertThat(json.get("format").asText()).isEqualTo("openssh");
    }

    @Test
    void fingerprintListsEachKeyAsSshKeygenDoes() {
        Path rsa = Cli.sshKeygenPair(dir, "rsa", "-t", "rsa", "-b", "2048", "-N", "", "-C", "rsa@test");
        Path authorizedKeys = dir.resolve("authorized_keys");
        Path ed = Cli.sshKeygenPair(dir, "ed", "-t", "ed25519", "-N", "", "-C", "ed@test");
        String lines = read(rsa + ".pub") + read(ed + ".pub");
        write(authorizedKeys, lines);

        JsonNode json = azssh("fingerprint", "-v", "-o", "json", authorizedKeys.toString()).assertSuccess().json();

        assertThat(json.get("keys")).hasSize(2);
        JsonNode first = json.get("keys").get(0);
        assertThat(first.get("type").asText()).isEqualTo("RSA");
        assertThat(first.get("bits").asInt()).isEqualTo(2048);
        assertThat(first.get("comment").asText()).isEqualTo("rsa@test");
        assertThat(first.get("randomArt").asText()).startsWith("+---[RSA 2048]----+");
        assertThat(json.get("keys").get(1).get("comment").asText()).isEqualTo("ed@test");
        String expected = sshKeygen("-l", "-f", authorizedKeys.toString());
        json.get("keys").forEach(key -> assertThat(expected).contains(key.get("fingerprint").asText()));

        JsonNode md5 = azssh("-o", "json", "fingerprint", "-E", "md5", authorizedKeys.toString()).assertSuccess().json();
        assertThat(md5.get("keys").get(0).get("fingerprint").asText()).startsWith("MD5:");
        assertThat(md5.get("keys").get(0).get("randomArt").isNull()).isTrue();
    }

    @Test
    void anErrorIsOneJsonLineOnStdoutAndTheSameLineOnStderrWithTheSameExitCode() {
        Path key = dir.resolve("k");
        azssh("keygen", "-t", "ed25519", "-N", "", "-f", key.toString()).assertSuccess();

        Cli.Outcome again = azssh("keygen", "-t", "ed25519", "-N", "", "-f", key.toString(), "-o", "json");

        again.assertOneLineError();
        assertThat(again.exitCode()).isEqualTo(1);
        JsonNode error = again.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("FileExists");
        assertThat(again.stderr()).isEqualTo("azssh: " + error.get("message").asText() + "\n");
        assertThat(error.get("message").asText()).contains(key.toString()).contains("already exists");
    }

    @Test
    void invalidUsageIsAnInvalidUsageErrorWithExitCode2() {
        Cli.Outcome usage = azssh("-o", "json", "keygen", "-t", "ed25519");

        assertThat(usage.exitCode()).isEqualTo(2);
        JsonNode error = usage.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("InvalidUsage");
        assertThat(error.get("message").asText()).contains("-f");
        assertThat(usage.stderr()).contains("Usage: azssh keygen");
    }

    @Test
    void anUnknownFormatIsInvalidUsage() {
        Cli.Outcome usage = azssh("-o", "yaml", "keygen", "-f", dir.resolve("k").toString());

        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stdout()).isEmpty();
        assertThat(usage.stderr()).contains("yaml").contains("TEXT, JSON");
        assertThat(KeygenCommandTest.list(dir)).isEmpty();
    }

    @Test
    void textStaysTheDefault() {
        Cli.Outcome keygen = azssh("keygen", "-t", "ed25519", "-N", "", "-f", dir.resolve("k").toString())
                .assertSuccess();

        assertThat(keygen.stdout()).startsWith("Private key (openssh): ").doesNotContain("{");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
