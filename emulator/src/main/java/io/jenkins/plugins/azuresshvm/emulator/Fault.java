package io.jenkins.plugins.azuresshvm.emulator;

import java.time.Duration;
import java.util.Locale;

/**
 * A fault injected with {@link ArmEmulator#inject(Fault...)}: the next {@link #times()} requests of {@link #kind()}
 * fail this way, as Azure's sometimes do. Faults of one kind queue up in the order injected. Except for
 * {@link FailedOperation}, a faulted request is not carried out.
 */
public sealed interface Fault
        permits Fault.Throttle, Fault.ServerError, Fault.FailedOperation, Fault.Hang, Fault.DroppedConnection {

    OperationKind kind();

    int times();

    /** 429 {@code TooManyRequests} with {@code Retry-After: retryAfterSeconds}. */
    static Fault throttle(OperationKind kind, int times, int retryAfterSeconds) {
        return new Throttle(kind, times, retryAfterSeconds);
    }

    /** 500 {@code InternalServerError} or 503 {@code ServiceUnavailable} (the latter with {@code Retry-After: 1}). */
    static Fault serverError(OperationKind kind, int times, int status) {
        return new ServerError(kind, times, status);
    }

    /**
     * The request is accepted as a long-running operation (in either mode) that ends {@code Failed} with
     * {@code code} and {@code message}; what it created stays, in provisioning state {@code Failed}.
     */
    static Fault failedOperation(OperationKind kind, int times, String code, String message) {
        return new FailedOperation(kind, times, code, message);
    }

    /** The request gets no answer for {@code holdFor} (or until the emulator closes); then its connection drops. */
    static Fault hang(OperationKind kind, int times, Duration holdFor) {
        return new Hang(kind, times, holdFor);
    }

    /** The connection is closed without an answer. */
    static Fault droppedConnection(OperationKind kind, int times) {
        return new DroppedConnection(kind, times);
    }

    /**
     * A fault from its command-line form {@code KIND:TYPE:TIMES[:ARG]}: {@code KIND} an {@link OperationKind} (any
     * case, {@code -} for {@code _}); {@code TYPE} {@code throttle} (ARG Retry-After seconds, default 1),
     * {@code error} (ARG status, default 500), {@code failed} (ARG error code, default {@code InternalServerError}),
     * {@code hang} (ARG seconds, default 3600) or {@code drop}. Example: {@code vm-put:throttle:2:1}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code spec}
     */
    static Fault parse(String spec) {
        String[] parts = spec.split(":", 4);
        if (parts.length < 3) {
            throw new IllegalArgumentException("fault '" + spec + "' is not KIND:TYPE:TIMES[:ARG]");
        }
        OperationKind kind;
        try {
            kind = OperationKind.valueOf(parts[0].toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + spec + "': unknown operation kind '" + parts[0]
                    + "'; known: " + java.util.Arrays.toString(OperationKind.values()), e);
        }
        int times = number(spec, parts[2]);
        String arg = parts.length == 4 ? parts[3] : null;
        return switch (parts[1].toLowerCase(Locale.ROOT)) {
            case "throttle" -> throttle(kind, times, arg == null ? 1 : number(spec, arg));
            case "error" -> serverError(kind, times, arg == null ? 500 : number(spec, arg));
            case "failed" -> failedOperation(kind, times, arg == null ? "InternalServerError" : arg,
                    "The operation failed (injected by the ARM emulator).");
            case "hang" -> hang(kind, times, Duration.ofSeconds(arg == null ? 3600 : number(spec, arg)));
            case "drop" -> droppedConnection(kind, times);
            default -> throw new IllegalArgumentException("fault '" + spec + "': unknown type '" + parts[1]
                    + "'; known: throttle, error, failed, hang, drop");
        };
    }

    private static int number(String spec, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault '" + spec + "': '" + text + "' is not a number", e);
        }
    }

    private static void check(OperationKind kind, int times) {
        if (kind == null) {
            throw new IllegalArgumentException("a fault needs an operation kind");
        }
        if (times < 1) {
            throw new IllegalArgumentException("a fault applies at least once, not " + times + " times");
        }
    }

    /** See {@link Fault#throttle}. */
    record Throttle(OperationKind kind, int times, int retryAfterSeconds) implements Fault {
        public Throttle {
            check(kind, times);
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("Retry-After must be at least 1 s (else the SDK waits 30 s), not "
                        + retryAfterSeconds);
            }
        }
    }

    /** See {@link Fault#serverError}. */
    record ServerError(OperationKind kind, int times, int status) implements Fault {
        public ServerError {
            check(kind, times);
            if (status != 500 && status != 503) {
                throw new IllegalArgumentException("a server error is 500 or 503, not " + status);
            }
        }
    }

    /** See {@link Fault#failedOperation}. */
    record FailedOperation(OperationKind kind, int times, String code, String message) implements Fault {
        public FailedOperation {
            check(kind, times);
            if (!kind.startsOperation()) {
                throw new IllegalArgumentException(kind + " starts no long-running operation that could fail");
            }
            if (code == null || code.isBlank() || message == null) {
                throw new IllegalArgumentException("a failed operation needs an error code and message");
            }
        }
    }

    /** See {@link Fault#hang}. */
    record Hang(OperationKind kind, int times, Duration holdFor) implements Fault {
        public Hang {
            check(kind, times);
            if (holdFor == null || holdFor.isNegative()) {
                throw new IllegalArgumentException("a hang lasts zero or more time, not " + holdFor);
            }
        }
    }

    /** See {@link Fault#droppedConnection}. */
    record DroppedConnection(OperationKind kind, int times) implements Fault {
        public DroppedConnection {
            check(kind, times);
        }
    }
}
