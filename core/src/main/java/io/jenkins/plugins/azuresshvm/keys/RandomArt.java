package io.jenkins.plugins.azuresshvm.keys;

import java.util.List;
import org.apache.sshd.common.config.keys.KeyRandomArt;

/**
 * The "visual host key" that {@code ssh-keygen -lv} draws: Apache MINA SSHD's drunken-bishop field in OpenSSH's
 * frame, which names the key type and size on top and the fingerprint hash below.
 */
public final class RandomArt {
    private static final int WIDTH = KeyRandomArt.FLDSIZE_X;

    private RandomArt() {}

    /** The picture for {@code key} drawn from its {@code algorithm} fingerprint, rows joined by {@code \n}. */
    public static String of(SshPublicKey key, Fingerprint.Algorithm algorithm) {
        String label = key.type().label();
        List<String> rows = new KeyRandomArt(label, key.bits(), key.fingerprint(algorithm).digest())
                .toString().lines().toList();
        StringBuilder art = new StringBuilder(border("[" + label + " " + key.bits() + "]")).append('\n');
        for (String row : rows.subList(1, rows.size() - 1)) {
            art.append(row).append('\n');
        }
        return art.append(border("[" + algorithm.name() + "]")).toString();
    }

    private static String border(String title) {
        int before = (WIDTH - title.length()) / 2;
        return "+" + "-".repeat(before) + title + "-".repeat(WIDTH - before - title.length()) + "+";
    }
}
