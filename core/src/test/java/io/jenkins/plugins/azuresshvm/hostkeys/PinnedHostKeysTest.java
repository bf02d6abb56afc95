package io.jenkins.plugins.azuresshvm.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PinnedHostKeys}: the pin rule, and the stored form read back, also by {@code ssh-keygen -l}. */
class PinnedHostKeysTest {
    private static final String VM_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir
    static Path machine;

    private static ExpectedHostKeys learned;

    @BeforeAll
    static void learnTheHostKeysOfAMachine() throws Exception {
        Path etcSsh = Files.createDirectories(machine.resolve("etc/ssh"));
        OpenSsh.run(OpenSsh.sshKeygen(), "-A", "-f", machine.toString()).assertSuccess();
        learned = ExpectedHostKeys.of(List.of(
                SshPublicKey.parse(Files.readString(etcSsh.resolve("ssh_host_ed25519_key.pub"))),
                SshPublicKey.parse(Files.readString(etcSsh.resolve("ssh_host_rsa_key.pub")))), "run-command probe");
    }

    @Test
    void isUsedForTheVmItWasMadeFor() {
        assertThat(new PinnedHostKeys(VM_ID, learned).decide(VM_ID)).isEqualTo(PinnedHostKeys.Decision.USE_PIN);
    }

    @Test
    void isReplacedWhenTheNameNowBelongsToAnotherVm() {
        assertThat(new PinnedHostKeys(VM_ID, learned).decide("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
                .isEqualTo(PinnedHostKeys.Decision.REPROBE_AND_REPIN);
    }

    @Test
    void isStoredAsTheVmIdThenOneKeyLinePerKey() {
        String text = new PinnedHostKeys(VM_ID, learned).toText();

        assertThat(text).isEqualTo("vmId " + VM_ID + "\n" + learned.keys().get(0).keyText() + "\n"
                + learned.keys().get(1).keyText() + "\n");
    }

    @Test
    void readsBackWhatItStored() throws Exception {
        PinnedHostKeys pin = PinnedHostKeys.parse("pins/vm1", new PinnedHostKeys(VM_ID, learned).toText());

        assertThat(pin.vmId()).isEqualTo(VM_ID);
        assertThat(pin.keys().keys()).containsExactlyElementsOf(learned.keys());
        assertThat(pin.keys().source()).isEqualTo("pin of VM " + VM_ID);
    }

    @Test
    void storesKeysSshKeygenReads() throws Exception {
        Path file = machine.resolve("pin");
        Files.writeString(file, new PinnedHostKeys(VM_ID, learned).toText());

        String listing = OpenSsh.run(OpenSsh.sshKeygen(), "-lf", file.toString()).assertSuccess().stdout();

        assertThat(listing).contains(learned.keys().get(0).fingerprint().toString(),
                learned.keys().get(1).fingerprint().toString());
    }

    @Test
    void refusesTextWithoutVmId() {
        assertThatThrownBy(() -> PinnedHostKeys.parse("pins/vm1", learned.keys().get(0).keyText() + "\n"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("pins/vm1:1: the first line must be 'vmId <id>'");
    }

    @Test
    void refusesAPinWithoutKeys() {
        assertThatThrownBy(() -> PinnedHostKeys.parse("pins/vm1", "vmId " + VM_ID + "\n"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("pins/vm1: no host keys from pin of VM " + VM_ID + "; an empty set never verifies");
    }

    @Test
    void refusesABadKeyLineNamingIt() {
        assertThatThrownBy(() -> PinnedHostKeys.parse("pins/vm1", "vmId " + VM_ID + "\nssh-ed25519 !!!\n"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("pins/vm1:2: the key data of this ssh-ed25519 key is not valid base64");
    }

    @Test
    void refusesAVmIdThatWouldBreakTheStoredForm() {
        assertThatThrownBy(() -> new PinnedHostKeys(VM_ID + "\nssh-ed25519 AAAA", learned))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a vmId is one word without blanks or control characters");
    }
}
