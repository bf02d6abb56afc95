package io.jenkins.plugins.azuresshvm.agents;

import hudson.model.Node;
import hudson.util.AtomicFileWriter;
import io.jenkins.plugins.azuresshvm.azure.PinnedHostKeyVerification;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import jenkins.model.Jenkins;

/**
 * The pinned host keys of an agent, next to its configuration as the SSH Build Agents plugin keeps its trusted key
 * ({@code $JENKINS_HOME/nodes/NAME/azure-ssh-vm-host-keys.txt}), so they go when the node is deleted. Public keys and
 * a {@code vmId}: nothing secret. An administrator clears a pin by deleting the file.
 */
final class NodePinFile implements PinnedHostKeyVerification.PinStore {
    static final String FILE_NAME = "azure-ssh-vm-host-keys.txt";

    private final File file;

    NodePinFile(Node node) {
        this.file = new File(new File(new File(Jenkins.get().getRootDir(), "nodes"), node.getNodeName()), FILE_NAME);
    }

    @Override
    public PinnedHostKeys load() throws IOException, KeyFormatException {
        return file.isFile() ? PinnedHostKeys.parse(file.getPath(), Files.readString(file.toPath(),
                StandardCharsets.UTF_8)) : null;
    }

    @Override
    public void save(PinnedHostKeys pin) throws IOException {
        Files.createDirectories(file.getParentFile().toPath());
        AtomicFileWriter writer = new AtomicFileWriter(file.toPath(), StandardCharsets.UTF_8);
        try {
            writer.write(pin.toText());
            writer.commit();
        } finally {
            writer.abort();
        }
    }
}
