package io.jenkins.plugins.azuresshvm.cloud;

import java.util.List;

/** An {@link AgentTemplateSpec} we refuse; {@link #problems()} names each field at fault. */
public final class InvalidAgentTemplateException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidAgentTemplateException(List<String> problems) {
        super("invalid agent template: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the field, e.g. {@code numExecutors: 0 must be 1–256}. */
    public List<String> problems() {
        return problems;
    }
}
