package io.jenkins.plugins.azuresshvm.azure;

import java.util.List;

/** A {@link VmSpec} that Azure would refuse or we do not allow; {@link #problems()} names each field at fault. */
public final class InvalidVmSpecException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidVmSpecException(List<String> problems) {
        super("invalid VM spec: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the field, e.g. {@code adminUsername: 'root' is reserved by Azure}. */
    public List<String> problems() {
        return problems;
    }
}
