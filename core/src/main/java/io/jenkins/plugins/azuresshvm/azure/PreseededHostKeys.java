package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Host keys we generate for a VM and hand to cloud-init in its customData ({@code ssh_keys}), so the keys to expect
 * are known before the VM exists and its first connection needs no run-command. The private halves travel through
 * Azure's API and stay readable to root on the VM: docs/security.md weighs it. {@link #toString()} shows fingerprints
 * only.
 *
 * @param pairs one key pair per type
 */
public record PreseededHostKeys(List<SshKeyPair> pairs) {

    /** Ed25519 and ECDSA P-256: generated in microseconds, and what every current OpenSSH client offers first. */
    public static final List<KeyGenSpec> DEFAULT_TYPES = List.of(KeyGenSpec.ed25519(), KeyGenSpec.ecdsa(256));

    public PreseededHostKeys {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("pre-seeded host keys: at least one key pair");
        }
        var types = EnumSet.noneOf(KeyType.class);
        for (SshKeyPair pair : pairs) {
            if (!types.add(pair.type())) {
                throw new IllegalArgumentException("pre-seeded host keys: two " + pair.type().label() + " keys");
            }
        }
    }

    /** Fresh pairs of {@link #DEFAULT_TYPES}. */
    public static PreseededHostKeys generate(SshKeyGenerator generator) {
        return new PreseededHostKeys(DEFAULT_TYPES.stream().map(spec -> generator.generate(spec, "")).toList());
    }

    /** The public halves: what the VM's sshd must present. */
    public ExpectedHostKeys expected(String vmName) {
        return ExpectedHostKeys.of(publicKeys(), "the host keys pre-seeded in VM " + vmName + "'s customData");
    }

    /** {@code config} with these keys as the VM's only host keys. */
    public CloudConfig addTo(CloudConfig config) {
        CloudConfig with = config;
        for (SshKeyPair pair : pairs) {
            with = with.withHostKey(pair);
        }
        return with;
    }

    /** Whether run-command reported exactly these keys (by key blob, the comments aside). */
    public boolean sameAs(ExpectedHostKeys reported) {
        return blobs(publicKeys()).equals(blobs(reported.keys()));
    }

    private List<SshPublicKey> publicKeys() {
        return pairs.stream().map(SshKeyPair::publicKey).toList();
    }

    private static Set<String> blobs(List<SshPublicKey> keys) {
        return keys.stream().map(key -> Base64.getEncoder().encodeToString(key.blob()))
                .collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return "PreseededHostKeys" + publicKeys().stream().map(key -> key.type().label() + " " + key.fingerprint())
                .toList();
    }
}
