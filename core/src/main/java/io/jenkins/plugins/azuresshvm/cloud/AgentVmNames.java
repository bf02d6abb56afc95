package io.jenkins.plugins.azuresshvm.cloud;

import io.jenkins.plugins.azuresshvm.azure.DerivedVmName;
import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Names for the agent VMs of one cloud: the cloud's name made Azure-safe ({@link DerivedVmName}) and a random
 * suffix, e.g. {@code azure-agents-k3f9x2}; the agent's Jenkins node has the same name. The prefix keeps the agents
 * of two clouds apart, the suffix those of one.
 */
public final class AgentVmNames {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 6;
    private static final int ATTEMPTS = 100;

    private final String cloudName;
    private final Random random;

    public AgentVmNames(String cloudName) {
        this(cloudName, new SecureRandom());
    }

    AgentVmNames(String cloudName, Random random) {
        if (cloudName == null || cloudName.isBlank()) {
            throw new IllegalArgumentException("cloud name: missing; agent VM names start with it");
        }
        this.cloudName = cloudName;
        this.random = random;
    }

    /**
     * A name not {@code taken} (by a node or a VM being made).
     *
     * @throws IllegalStateException when 100 random names were all taken
     */
    public String next(Predicate<String> taken) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
            for (int i = 0; i < SUFFIX_LENGTH; i++) {
                suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String name = DerivedVmName.of(cloudName, suffix.toString());
            if (!taken.test(name)) {
                return name;
            }
        }
        throw new IllegalStateException("no free agent VM name for cloud '" + cloudName + "' after " + ATTEMPTS
                + " attempts");
    }
}
