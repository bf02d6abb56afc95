package io.jenkins.plugins.azuresshvm.emulator.arm;

import java.util.BitSet;

/**
 * The emulator's "public" IP addresses: {@code 127.0.0.2} to {@code 127.0.0.99}, each handed out once at a time.
 * The whole of 127.0.0.0/8 is loopback on Linux, so a VM's sshd can listen on its own address with no setup.
 */
final class LoopbackAddresses {

    static final int FIRST = 2;
    static final int LAST = 99;

    private final BitSet used = new BitSet();

    synchronized String allocate() {
        int next = used.nextClearBit(FIRST);
        if (next > LAST) {
            throw new ArmError(400, "PublicIPCountLimitReached", "Cannot create more than " + (LAST - FIRST + 1)
                    + " public IP addresses in the emulator.");
        }
        used.set(next);
        return "127.0.0." + next;
    }

    synchronized void release(String address) {
        if (address != null && address.startsWith("127.0.0.")) {
            used.clear(Integer.parseInt(address.substring("127.0.0.".length())));
        }
    }
}
