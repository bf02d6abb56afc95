package io.jenkins.plugins.azuresshvm.emulator.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Public IPs are handed out once at a time, passing over addresses whose port 22 is taken on this machine. */
class LoopbackAddressesTest {

    @Test
    void handsOutEachAddressOnceUntilReleased() {
        LoopbackAddresses addresses = new LoopbackAddresses();

        String first = addresses.allocate();
        String second = addresses.allocate();
        addresses.release(first);

        assertThat(second).isNotEqualTo(first);
        assertThat(addresses.allocate()).isEqualTo(first);
    }

    @Test
    void passesOverAnAddressWhosePort22IsTaken() throws Exception {
        LoopbackAddresses addresses = new LoopbackAddresses();
        String free = addresses.allocate();
        addresses.release(free);
        try (ServerSocket taken = new ServerSocket()) {
            try {
                taken.bind(new InetSocketAddress(InetAddress.getByName(free), 22));
            } catch (java.io.IOException e) {
                Assumptions.abort("cannot bind " + free + ":22 here (needs root): " + e.getMessage());
            }

            assertThat(addresses.allocate()).isNotEqualTo(free);
        }
    }
}
