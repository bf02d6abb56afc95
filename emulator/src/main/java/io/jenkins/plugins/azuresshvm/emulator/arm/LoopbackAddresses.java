package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The emulator's "public" IP addresses: {@code 127.0.0.2} to {@code 127.0.0.99}, each handed out once at a time.
 * The whole of 127.0.0.0/8 is loopback on Linux, so a VM's sshd can listen on its own address with no setup. An
 * address where something already listens on port 22 (another emulator on this machine) is passed over, and each
 * emulator starts its search at a random address, so that emulators started at the same time rarely race for one.
 * Only 22: a public IP is made before the VM whose customData may move its sshd; a VM whose port is taken fails to
 * boot with sshd's bind error.
 */
final class LoopbackAddresses {

    static final int FIRST = 2;
    static final int LAST = 99;

    private final BitSet used = new BitSet();
    private final int start = FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST + 1);

    /** The first free address from this emulator's start on, wrapping around. */
    synchronized String allocate() {
        for (int i = 0; i <= LAST - FIRST; i++) {
            int next = FIRST + (start - FIRST + i) % (LAST - FIRST + 1);
            String address = "127.0.0." + next;
            if (!used.get(next) && !listensOnSshPort(address)) {
                used.set(next);
                return address;
            }
        }
        throw new ArmError(400, "PublicIPCountLimitReached", "Cannot create more than " + (LAST - FIRST + 1)
                + " public IP addresses in the emulator (or their port 22 is taken on this machine).");
    }

    private static boolean listensOnSshPort(String address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, 22), 200);
            return true;
        } catch (IOException nothingThere) {
            return false;
        }
    }

    synchronized void release(String address) {
        if (address != null && address.startsWith("127.0.0.")) {
            used.clear(Integer.parseInt(address.substring("127.0.0.".length())));
        }
    }
}
