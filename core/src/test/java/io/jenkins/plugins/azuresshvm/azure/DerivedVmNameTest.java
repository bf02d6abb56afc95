package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names derived from a job and a build obey Azure's VM name rules and stay distinct. */
class DerivedVmNameTest {
    private static final SshPublicKey KEY = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "me").publicKey();

    @Test
    void keepsAPlainJobNameReadable() {
        assertThat(DerivedVmName.of("nightly-build", "42")).isEqualTo("nightly-build-42");
        assertThat(DerivedVmName.of("Nightly", "7")).isEqualTo("nightly-7");
    }

    @Test
    void replacesFoldersBlanksAndOtherCharactersAndAddsAHashOfTheOriginal() {
        String name = DerivedVmName.of("team/My Job (main)", "3");

        assertThat(name).matches("team-my-job-main-[0-9a-f]{8}-3");
        assertThat(DerivedVmName.of("team/My Job (main)", "3")).isEqualTo(name);
    }

    @Test
    void namesThatDifferOnlyInDroppedCharactersStayDistinct() {
        assertThat(DerivedVmName.of("a/b", "1")).isNotEqualTo(DerivedVmName.of("a b", "1"));
        assertThat(DerivedVmName.of("a/b", "1")).isNotEqualTo(DerivedVmName.of("a-b", "1"));
    }

    @Test
    void cutsLongNamesToLeaveRoomForTheVnetSuffixKeepingTheBuildNumberAndUniqueness() {
        String longName = "folder/" + "x".repeat(100);
        String a = DerivedVmName.of(longName + "a", "12345");
        String b = DerivedVmName.of(longName + "b", "12345");

        assertThat(a).hasSizeLessThanOrEqualTo(DerivedVmName.MAX_LENGTH).endsWith("-12345").isNotEqualTo(b);
        assertThat((a + "-vnet").length()).isLessThanOrEqualTo(64);
        assertThat(DerivedVmName.of("y".repeat(59), "1")).hasSizeLessThanOrEqualTo(DerivedVmName.MAX_LENGTH)
                .matches("y+-[0-9a-f]{8}-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "___", "ünïcødé/ジョブ", "-lead-and-trail-", "a..b", "job@host:1",
        "a-very-long-job-name-that-goes-on-and-on-and-on-beyond-the-sixty-four-characters-azure-allows"})
    void everyDerivedNameIsAValidVmName(String job) {
        String name = DerivedVmName.of(job, "99");

        assertThat(name).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?").doesNotContain("--");
        assertThat(VmSpecRules.problems(name, "rg", "westeurope", "Ubuntu2404", "Standard_B2s", "azureuser",
                List.of(KEY), Map.of(), null, true, null, "10.0.0.1", 22, "me")).isEmpty();
    }

    @Test
    void refusesASuffixThatWouldBreakTheRules() {
        assertThatIllegalArgumentException().isThrownBy(() -> DerivedVmName.of("job", "4/2"))
                .withMessageContaining("suffix '4/2'");
        assertThatIllegalArgumentException().isThrownBy(() -> DerivedVmName.of("job", ""));
    }
}
