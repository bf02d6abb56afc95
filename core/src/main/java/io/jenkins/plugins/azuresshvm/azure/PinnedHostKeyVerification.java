package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Host-key verification for an SSH client whose verifier runs inside the key exchange and so must not call Azure
 * (the SSH Build Agents plugin's): {@link #prepare} decides the expected keys before connecting by the
 * {@link PinnedHostKeyResolver PINNED rule}, with the pin kept in a {@link PinStore}; {@link Prepared#verify} then
 * only compares key blobs, and the first connection verified with newly probed keys stores them as the pin.
 */
public final class PinnedHostKeyVerification {
    private final PinnedHostKeyResolver resolver;

    public PinnedHostKeyVerification(PinnedHostKeyResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Where the pin of one server is kept. */
    public interface PinStore {
        /**
         * The stored pin, or {@code null} when there is none.
         *
         * @throws KeyFormatException when the stored pin is unreadable: never treated as "no pin"
         */
        PinnedHostKeys load() throws IOException, KeyFormatException;

        /** Stores {@code pin}, replacing any other. */
        void save(PinnedHostKeys pin) throws IOException;
    }

    /**
     * The keys to verify the next connection to the VM with: the stored pin when it was made for the VM now under
     * this name (one GET), else the keys run-command reports now, to be pinned once a connection verifies them.
     *
     * @throws KeyFormatException when the stored pin is unreadable (an administrator must remove it)
     * @throws HostKeyProbeException when the probe's output cannot be trusted
     * @throws AzureVmException when the VM cannot be read or probed within {@code timeout}
     */
    public Prepared prepare(String resourceGroup, String vmName, PinStore pins, Duration timeout)
            throws IOException, KeyFormatException, HostKeyProbeException {
        PinnedHostKeys stored = pins.load();
        return new Prepared(vmName, resolver.resolve(resourceGroup, vmName, stored, timeout), pins);
    }

    /** Whether a presented host key is accepted, and why, naming the expected and presented SHA256 fingerprints. */
    public record Verdict(boolean accepted, String explanation) {}

    /** The expected keys of one VM for one connection, decided before it. */
    public static final class Prepared {
        private final String vmName;
        private final PinnedHostKeyResolver.Resolution resolution;
        private final PinStore pins;
        private boolean saved;

        private Prepared(String vmName, PinnedHostKeyResolver.Resolution resolution, PinStore pins) {
            this.vmName = vmName;
            this.resolution = resolution;
            this.pins = pins;
        }

        /** The keys a server must present. */
        public ExpectedHostKeys keys() {
            return resolution.pin().keys();
        }

        /** The {@code vmId} the keys hold for. */
        public String vmId() {
            return resolution.pin().vmId();
        }

        /** Whether the keys were probed now (no pin, or a re-created VM) rather than taken from the pin. */
        public boolean repinned() {
            return resolution.repinned();
        }

        /** The host key algorithms to offer: only those a key is held for. */
        public List<String> hostKeyAlgorithms() {
            return keys().hostKeyAlgorithms();
        }

        /**
         * Compares the key the server presented with the one held for the negotiated algorithm (blob equality, no
         * network). The first accepted key of newly probed keys stores them as the pin.
         *
         * @param negotiatedAlgorithm the host key algorithm of the key exchange, e.g. {@code rsa-sha2-512}
         * @param presentedBlob the SSH wire-format blob of the server's host key
         * @throws IOException when the accepted keys cannot be pinned (the connection must then be refused)
         */
        public synchronized Verdict verify(String negotiatedAlgorithm, byte[] presentedBlob) throws IOException {
            Verdict refusal = HeldHostKeys.refusal(vmName, keys(), negotiatedAlgorithm, presentedBlob);
            if (refusal != null) {
                return refusal;
            }
            String presented = HeldHostKeys.presented(presentedBlob);
            if (repinned()) {
                if (!saved) {
                    pins.save(resolution.pin());
                    saved = true;
                }
                return new Verdict(true, "host key of VM " + vmName + " verified: " + presented + " from "
                        + keys().source() + "; pinned to vmId " + vmId());
            }
            return new Verdict(true, "host key of VM " + vmName + " verified: " + presented
                    + " pinned to vmId " + vmId());
        }
    }
}
