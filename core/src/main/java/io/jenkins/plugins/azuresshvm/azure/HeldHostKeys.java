package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The host keys of one agent VM, learned when it was provisioned (by run-command, or pre-seeded and cross-checked)
 * and kept with the agent, so that every later connection is verified by comparing key blobs locally, without
 * another run-command. As text: one {@code algorithm base64} line per key, what an agent's configuration stores.
 */
public final class HeldHostKeys {
    private final String vmName;
    private final ExpectedHostKeys keys;

    private HeldHostKeys(String vmName, ExpectedHostKeys keys) {
        this.vmName = vmName;
        this.keys = keys;
    }

    /** The keys a provisioning verified for VM {@code vmName}. */
    public static HeldHostKeys of(String vmName, ExpectedHostKeys keys) {
        return new HeldHostKeys(vmName, keys);
    }

    /**
     * Reads {@link #toText()}'s lines (blank lines ignored).
     *
     * @throws KeyFormatException naming the line, or saying there is no key
     */
    public static HeldHostKeys parse(String vmName, String text) throws KeyFormatException {
        List<SshPublicKey> keys = new ArrayList<>();
        String[] lines = text == null ? new String[0] : text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                try {
                    keys.add(SshPublicKey.parse(line));
                } catch (KeyFormatException e) {
                    throw e.at("host keys of VM " + vmName, i + 1);
                }
            }
        }
        if (keys.isEmpty()) {
            throw new KeyFormatException("host keys of VM " + vmName + ": none held; an empty set never verifies");
        }
        try {
            return new HeldHostKeys(vmName, ExpectedHostKeys.of(keys, "the host keys learned when VM " + vmName
                    + " was provisioned"));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(e.getMessage());
        }
    }

    /** One {@code algorithm base64} line per key, without comments. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        keys.keys().forEach(key -> text.append(key.withComment("").toLine().strip()).append('\n'));
        return text.toString();
    }

    public ExpectedHostKeys keys() {
        return keys;
    }

    /** The host key algorithms to offer: only those a key is held for. */
    public List<String> hostKeyAlgorithms() {
        return keys.hostKeyAlgorithms();
    }

    /**
     * Compares the key the server presented with the one held for the negotiated algorithm (blob equality).
     *
     * @param negotiatedAlgorithm the host key algorithm of the key exchange, e.g. {@code rsa-sha2-512}
     * @param presentedBlob the SSH wire-format blob of the server's host key
     */
    public PinnedHostKeyVerification.Verdict verify(String negotiatedAlgorithm, byte[] presentedBlob) {
        PinnedHostKeyVerification.Verdict refusal = refusal(vmName, keys, negotiatedAlgorithm, presentedBlob);
        if (refusal != null) {
            return refusal;
        }
        return new PinnedHostKeyVerification.Verdict(true, "host key of VM " + vmName + " verified: "
                + presented(presentedBlob) + " from " + keys.source());
    }

    /** Why {@code presentedBlob} is refused for {@code keys}, naming both fingerprints; {@code null} when it matches. */
    static PinnedHostKeyVerification.Verdict refusal(String vmName, ExpectedHostKeys keys, String negotiatedAlgorithm,
            byte[] presentedBlob) {
        SshPublicKey presented;
        try {
            presented = SshPublicKey.fromBlob(presentedBlob, "");
        } catch (KeyFormatException e) {
            return new PinnedHostKeyVerification.Verdict(false, "host key of VM " + vmName + " refused: negotiated "
                    + negotiatedAlgorithm + ", expected " + keys.describeExpected(negotiatedAlgorithm)
                    + ", presented an undecodable key " + Fingerprint.of(Fingerprint.Algorithm.SHA256, presentedBlob)
                    + " (" + e.getMessage() + ")");
        }
        if (!keys.accepts(presented, negotiatedAlgorithm)) {
            return new PinnedHostKeyVerification.Verdict(false, "host key of VM " + vmName
                    + " does not match: negotiated " + negotiatedAlgorithm + ", expected "
                    + keys.describeExpected(negotiatedAlgorithm) + ", presented " + presented.algorithm() + " "
                    + presented.fingerprint());
        }
        return null;
    }

    /** {@code ssh-ed25519 SHA256:…} of an accepted (so decodable) blob. */
    static String presented(byte[] blob) {
        try {
            SshPublicKey key = SshPublicKey.fromBlob(blob, "");
            return key.algorithm() + " " + key.fingerprint();
        } catch (KeyFormatException e) {
            throw new IllegalStateException("an accepted host key is decodable", e);
        }
    }

    @Override
    public String toString() {
        return "HeldHostKeys[" + vmName + ": " + keys + "]";
    }
}
