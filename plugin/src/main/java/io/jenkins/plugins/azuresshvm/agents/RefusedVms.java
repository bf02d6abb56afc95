package io.jenkins.plugins.azuresshvm.agents;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.model.Computer;
import hudson.model.Node;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.NodeListener;

/**
 * The cloud agents whose pre-seeded host keys run-command did not confirm, by VM name, with why: their strategy
 * refuses every connection from then on, and a node of theirs that appears later (NodeProvisioner adds a planned node
 * some seconds after its launch ended) is removed at once. Agent VM names are unique, so nothing else is refused.
 */
@Extension
public final class RefusedVms extends NodeListener {
    private static final Logger LOGGER = Logger.getLogger(RefusedVms.class.getName());
    private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();

    /** Refuses the VM {@code name} from now on, for {@code reason}. */
    static void refuse(String name, String reason) {
        REFUSED.put(name, reason);
    }

    /** Why the VM {@code name} is refused, or {@code null} when it is not. */
    @CheckForNull
    static String reason(String name) {
        return REFUSED.get(name);
    }

    @Override
    protected void onCreated(Node node) {
        if (node instanceof AzureVmAgent && REFUSED.containsKey(node.getNodeName())) {
            Computer.threadPoolForRemoting.submit(() -> remove(node));
        }
    }

    /** Removes the node of a refused VM. */
    static void remove(Node node) {
        try {
            Jenkins.get().removeNode(node);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not remove refused agent " + node.getNodeName(), e);
        }
    }
}
