package io.jenkins.plugins.azuresshvm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The identity files OpenSSH tries without {@code -i}, in its order, that exist: {@code ~/.ssh/id_rsa},
 * {@code id_ecdsa}, {@code id_ed25519}. OpenSSH's {@code id_ecdsa_sk}, {@code id_ed25519_sk} (security keys),
 * {@code id_xmss} and {@code id_dsa} are not supported and skipped.
 */
final class DefaultIdentities {
    static final List<String> SUPPORTED = List.of("id_rsa", "id_ecdsa", "id_ed25519");

    private DefaultIdentities() {}

    /** The supported default identity files under {@code home} that exist, in OpenSSH's order. */
    static List<Path> existing(Path home) {
        return SUPPORTED.stream().map(name -> home.resolve(".ssh").resolve(name)).filter(Files::isRegularFile).toList();
    }
}
