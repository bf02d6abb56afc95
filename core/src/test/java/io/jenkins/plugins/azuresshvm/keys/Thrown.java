package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The exception an action throws, checked to be of the expected type, for assertions on its fields. */
final class Thrown {
    private Thrown() {}

    static <T extends Throwable> T by(Class<T> type, ThrowingCallable action) {
        Throwable thrown = catchThrowable(action);
        assertThat(thrown).as("expected a %s", type.getSimpleName()).isInstanceOf(type);
        return type.cast(thrown);
    }

    static KeyFormatException keyFormat(ThrowingCallable action) {
        return by(KeyFormatException.class, action);
    }
}
