package io.jenkins.plugins.azuresshvm.steps;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step asked for, its defaults resolved against the build: kept in the step's persisted state so that
 * clean-up after a controller restart knows the VM (its group, name and owner tag) even before it exists. A plain
 * class, not a record: Pipeline persists step state with JBoss Marshalling.
 */
final class VmRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    final String azureCredentialsId;
    final String sshCredentialsId;
    final String resourceGroup;
    final String name;
    final String location;
    final String image;
    final String size;
    /** {@code null}: the SSH credential's username. */
    final String adminUsername;
    final String sshSource;
    final boolean publicIp;
    private final LinkedHashMap<String, String> tags;
    /** authorized_keys lines, or {@code null}. */
    final String additionalPublicKeys;
    final String ownerId;
    /** Reach SSH through a just-in-time access request. */
    final boolean jit;
    /** Hand generated host keys to cloud-init; run-command cross-checks them in the background. */
    final boolean preseedHostKeys;

    VmRequest(String azureCredentialsId, String sshCredentialsId, String resourceGroup, String name, String location,
            String image, String size, String adminUsername, String sshSource, boolean publicIp,
            Map<String, String> tags, String additionalPublicKeys, String ownerId, boolean jit,
            boolean preseedHostKeys) {
        this.azureCredentialsId = azureCredentialsId;
        this.sshCredentialsId = sshCredentialsId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.location = location;
        this.image = image;
        this.size = size;
        this.adminUsername = adminUsername;
        this.sshSource = sshSource;
        this.publicIp = publicIp;
        this.tags = new LinkedHashMap<>(tags);
        this.additionalPublicKeys = additionalPublicKeys;
        this.ownerId = ownerId;
        this.jit = jit;
        this.preseedHostKeys = preseedHostKeys;
    }

    Map<String, String> tags() {
        return Map.copyOf(tags);
    }
}
