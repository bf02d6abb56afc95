package io.jenkins.plugins.azuresshvm.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link ArmEmulator} per test class, closed after the class, injected into any parameter of
 * type {@code ArmEmulator}. Use {@code @ExtendWith(ArmEmulatorExtension.class)} for the defaults (real sshd VMs), or
 * {@code @RegisterExtension static ArmEmulatorExtension arm = new ArmEmulatorExtension(ArmEmulator.builder()…)}.
 */
public final class ArmEmulatorExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ArmEmulatorExtension.class);

    private final ArmEmulator.Builder builder;

    public ArmEmulatorExtension() {
        this(ArmEmulator.builder());
    }

    public ArmEmulatorExtension(ArmEmulator.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator(context);
    }

    /** The class's emulator, started on first use. */
    public ArmEmulator emulator(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(ArmEmulator.class, type -> {
            try {
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("The ARM emulator cannot start", e);
            }
        }, ArmEmulator.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ArmEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator(context);
    }
}
