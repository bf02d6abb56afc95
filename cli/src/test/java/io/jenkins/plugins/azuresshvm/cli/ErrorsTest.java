package io.jenkins.plugins.azuresshvm.cli;

import static io.jenkins.plugins.azuresshvm.cli.Cli.azssh;
import static io.jenkins.plugins.azuresshvm.cli.KeygenCommandTest.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code azssh} fails: one {@code azssh: } line saying what is wrong and where, a non-zero exit code, no files
 * written, no stack trace unless {@code --verbose}; usage errors exit 2 with picocli's message.
 */
class ErrorsTest {

    @TempDir
    Path dir;

    @Test
    void anUnsupportedKeyTypeIsRefusedAndNothingIsWritten() {
        Cli.Outcome outcome = azssh("keygen", "-t", "dsa", "-f", dir.resolve("k").toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains("'dsa'").contains("rsa").contains("ed25519");
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void rsaKeysBelow2048BitsAreRefusedAndNothingIsWritten() {
        Cli.Outcome outcome = azssh("keygen", "-b", "1024", "-f", dir.resolve("k").toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains("1024").contains("2048");
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void anUnsupportedEcdsaSizeIsRefused() {
        Cli.Outcome outcome = azssh("keygen", "-t", "ecdsa", "-b", "300", "-f", dir.resolve("k").toString())
                .assertOneLineError();

        assertThat(outcome.stderr()).contains("300");
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void anUnknownPrivateKeyFormatIsRefused() {
        Cli.Outcome outcome = azssh("keygen", "-m", "pkcs12", "-f", dir.resolve("k").toString()).assertOneLineError();

        assertThat(outcome.stderr()).contains("'pkcs12'");
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void aKeyInAMissingDirectoryIsOneErrorLineNamingThatDirectory() {
        Path missingDir = dir.resolve("no-such-dir");
        Path key = missingDir.resolve("id_ed25519");

        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519", "-f", key.toString()).assertOneLineError();

        assertThat(outcome.stderr()).isEqualTo("azssh: " + missingDir + ": no such file or directory\n");
    }

    @Test
    void errorsShowAStackTraceWithVerbose() {
        Cli.Outcome outcome = azssh("--verbose", "keygen", "-t", "dsa", "-f", dir.resolve("k").toString());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr()).startsWith("azssh: unknown key type 'dsa'").contains("\tat ");
    }

    @Test
    void anUnknownKeygenOptionIsAUsageErrorWithExitCode2() {
        Cli.Outcome outcome = azssh("keygen", "--bogus", "-f", dir.resolve("k").toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).startsWith("Unknown option: '--bogus'\n").contains("Usage: azssh keygen");
        assertThat(outcome.stdout()).isEmpty();
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void anUnknownFingerprintOptionIsAUsageErrorWithExitCode2() {
        Cli.Outcome outcome = azssh("fingerprint", "-x", "file.pub");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).startsWith("Unknown option: '-x'").contains("Usage: azssh fingerprint");
    }

    @Test
    void keygenWithoutPathIsAUsageErrorWithExitCode2() {
        Cli.Outcome outcome = azssh("keygen", "-t", "ed25519");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).startsWith("Missing required option: '-f=PATH'");
    }

    @Test
    void aNonNumericKeySizeIsAUsageErrorWithExitCode2() {
        Cli.Outcome outcome = azssh("keygen", "-b", "big", "-f", dir.resolve("k").toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).startsWith("Invalid value for option '-b': 'big' is not an int");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithExitCode2() {
        Cli.Outcome outcome = azssh("frobnicate");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("frobnicate").contains("Usage: azssh");
    }

    @Test
    void aUsageErrorDoesNotEchoThePassphrase() {
        Cli.Outcome outcome = azssh("keygen", "-N", "s3cret-passphrase", "--bogus", "-f", dir.resolve("k").toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.output()).doesNotContain("s3cret-passphrase");
    }
}
