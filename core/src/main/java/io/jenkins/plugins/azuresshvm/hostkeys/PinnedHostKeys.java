package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The host keys learned for one VM, pinned to its Azure {@code vmId} (which changes when a VM is recreated, even
 * under the same name). Stored as text: a first line {@code vmId <id>}, then one {@code TYPE BASE64} line per key.
 *
 * @param vmId the VM's {@code properties.vmId}: one word, no blanks
 * @param keys the keys learned for it
 */
public record PinnedHostKeys(String vmId, ExpectedHostKeys keys) {
    private static final String HEADER = "vmId ";
    private static final Pattern WORD = Pattern.compile("[^\\s\\p{Cntrl}]+");

    /** What to do with a pin before connecting to a VM. */
    public enum Decision {
        /** Same VM: connect with the pinned keys; a server presenting another key is an attack. */
        USE_PIN,
        /** Another VM under this name: probe its host keys again and pin them. */
        REPROBE_AND_REPIN
    }

    public PinnedHostKeys {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(keys, "keys");
        if (!WORD.matcher(vmId).matches()) {
            throw new IllegalArgumentException("a vmId is one word without blanks or control characters");
        }
    }

    /** The one pin rule: the pin holds for the VM it was made for, and only for it. */
    public Decision decide(String currentVmId) {
        return vmId.equals(Objects.requireNonNull(currentVmId, "currentVmId"))
                ? Decision.USE_PIN : Decision.REPROBE_AND_REPIN;
    }

    /** The stored form: {@code vmId <id>}, then the key lines, each ending in a newline. */
    public String toText() {
        StringBuilder text = new StringBuilder(HEADER).append(vmId).append('\n');
        keys.keys().forEach(key -> text.append(key.keyText()).append('\n'));
        return text.toString();
    }

    /**
     * Reads the stored form written by {@link #toText()}.
     *
     * @param source what the text is, for messages (e.g. a file name)
     * @throws KeyFormatException naming the line and what is wrong with it
     */
    public static PinnedHostKeys parse(String source, String text) throws KeyFormatException {
        String[] lines = text.split("\n", -1);
        String header = lines[0].strip();
        String vmId = header.startsWith(HEADER) ? header.substring(HEADER.length()).strip() : "";
        if (!WORD.matcher(vmId).matches()) {
            throw new KeyFormatException(source, 1, "the first line must be 'vmId <id>'");
        }
        List<SshPublicKey> keys = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                keys.add(SshPublicKey.parse(lines[i]));
            } catch (KeyFormatException e) {
                throw e.at(source, i + 1);
            }
        }
        try {
            return new PinnedHostKeys(vmId, ExpectedHostKeys.of(keys, "pin of VM " + vmId));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(source, 0, e.getMessage());
        }
    }
}
