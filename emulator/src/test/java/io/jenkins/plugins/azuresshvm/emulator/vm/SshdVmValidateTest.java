package io.jenkins.plugins.azuresshvm.emulator.vm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link SshdVm} refuses before touching the machine (no root needed). */
class SshdVmValidateTest {

    private static VmSpec spec(String name, String ip, String user, String key) {
        return new VmSpec(name, ip, user, List.of(key));
    }

    @Test
    void acceptsAzureLikeSpecs() {
        assertThatCode(() -> SshdVm.validate(spec("build-agent_1.a", "127.0.0.255", "azureuser", "ssh-ed25519 AAAA c")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesWhatCouldEscapeIntoFilesOrConfigs() {
        assertThatThrownBy(() -> SshdVm.validate(spec("../x", "127.0.0.5", "azureuser", "k")))
                .hasMessageContaining("VM name ../x");
        assertThatThrownBy(() -> SshdVm.validate(spec("vm", "10.0.0.4", "azureuser", "k")))
                .hasMessageContaining("VM vm: IP address 10.0.0.4 is not a loopback address");
        assertThatThrownBy(() -> SshdVm.validate(spec("vm", "127.0.0.256", "azureuser", "k")))
                .hasMessageContaining("127.0.0.256");
        assertThatThrownBy(() -> SshdVm.validate(spec("vm", "127.0.0.5", "admin:x", "k")))
                .hasMessageContaining("VM vm: admin user name admin:x");
        assertThatThrownBy(() -> SshdVm.validate(spec("vm", "127.0.0.5", "sshd", "k")))
                .hasMessageContaining("not be sshd");
        assertThatThrownBy(() -> SshdVm.validate(spec("vm", "127.0.0.5", "azureuser", "ssh-rsa A\nssh-rsa B")))
                .hasMessageContaining("VM vm: an authorized key contains a line break");
    }
}
