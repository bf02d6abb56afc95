package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a passphrase comes from: the command-line option, a file (its first line), or the {@code AZSSH_PASSPHRASE}
 * environment variable, in that order.
 */
final class Passphrases {
    static final String ENVIRONMENT_VARIABLE = "AZSSH_PASSPHRASE";

    private Passphrases() {}

    /** The passphrase, or {@code null} when none is given anywhere (an empty one counts as none). */
    static char[] resolve(String option, Path file, Map<String, String> environment) throws IOException {
        String value = option;
        if (value == null && file != null) {
            String text = KeyPairFiles.readText(file);
            int end = text.indexOf('\n');
            value = end < 0 ? text : text.substring(0, end);
            if (value.endsWith("\r")) {
                value = value.substring(0, value.length() - 1);
            }
        }
        if (value == null) {
            value = environment.get(ENVIRONMENT_VARIABLE);
        }
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }
}
