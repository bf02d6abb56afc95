package io.jenkins.plugins.azuresshvm.emulator.arm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunCommandOperationTest {

    private static final String KEYS = "ssh-ed25519 AAAAC3 root@vm\nssh-rsa AAAAB3 root@vm\necdsa-sha2-nistp256 E root@vm\n";

    @Test
    void messageHasAzuresShape() {
        assertThat(RunCommandOperation.message("out\n", "err\n"))
                .isEqualTo("Enable succeeded: \n[stdout]\nout\n\n[stderr]\nerr\n\n");
    }

    @Test
    void keepsTheLast4096BytesWithoutSplittingACharacter() {
        assertThat(RunCommandOperation.tail("short")).isEqualTo("short");
        assertThat(RunCommandOperation.tail("a".repeat(5000) + "END")).isEqualTo("a".repeat(4093) + "END");
        String tail = RunCommandOperation.tail("é".repeat(3000));
        assertThat(tail).isEqualTo("é".repeat(2048));
        assertThat(RunCommandOperation.tail("x" + "é".repeat(2048))).isEqualTo("é".repeat(2048));
        assertThat(RunCommandOperation.tail("xé" + "a".repeat(4095)).getBytes(StandardCharsets.UTF_8)).hasSize(4095);
    }

    @Test
    void honestOutputIsUntouched() {
        assertThat(RunCommandOperation.tamper(KEYS, Set.of(), "vm")).isEqualTo(KEYS);
    }

    @Test
    void emptyOutput() {
        assertThat(RunCommandOperation.tamper(KEYS, Set.of(RunCommandFault.EMPTY_OUTPUT), "vm")).isEmpty();
    }

    @Test
    void truncatedOutputEndsInsideALine() {
        String cut = RunCommandOperation.tamper(KEYS, Set.of(RunCommandFault.TRUNCATED_OUTPUT), "vm");
        assertThat(KEYS).startsWith(cut);
        assertThat(cut).isNotEmpty().hasSizeLessThan(KEYS.length()).doesNotEndWith("\n");
    }

    @Test
    void extraKeyLineIsAFreshEd25519Key() {
        String extra = RunCommandOperation.tamper(KEYS.strip(), Set.of(RunCommandFault.EXTRA_KEY_LINE), "vm");
        assertThat(extra).startsWith(KEYS).hasLineCount(4);
        assertThat(extra.lines().toList().get(3)).matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\\S{43} root@vm");
        assertThat(RunCommandOperation.freshEd25519KeyLine()).isNotEqualTo(RunCommandOperation.freshEd25519KeyLine());
    }

    @Test
    void foreignEd25519KeyReplacesOnlyThatLine() {
        String foreign = RunCommandOperation.tamper(KEYS, Set.of(RunCommandFault.FOREIGN_ED25519_KEY), "vm");
        List<String> before = KEYS.lines().toList();
        List<String> after = foreign.lines().toList();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).startsWith("ssh-ed25519 ")) {
                assertThat(after.get(i)).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
                        .isNotEqualTo(before.get(i)).endsWith(before.get(i).substring(before.get(i).lastIndexOf(' ')));
            } else {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }
}
