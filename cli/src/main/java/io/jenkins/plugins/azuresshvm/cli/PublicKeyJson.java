package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;

/**
 * A public key in the JSON output.
 *
 * @param type {@code RSA}, {@code ED25519} or {@code ECDSA}, as {@code ssh-keygen -l} labels it
 * @param bits the size {@code ssh-keygen -l} prints
 * @param fingerprint {@code SHA256:…}
 * @param publicKey {@code TYPE BASE64}, without comment
 */
record PublicKeyJson(String type, int bits, String fingerprint, String publicKey) {
    static PublicKeyJson of(SshPublicKey key) {
        return new PublicKeyJson(key.type().label(), key.bits(), key.fingerprint().toString(), key.keyText());
    }
}
