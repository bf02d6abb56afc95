package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;

/** Short descriptions of what ARM answered, for messages. */
final class AzureErrors {
    private AzureErrors() {}

    /** {@code CODE: message} for an ARM error, else the exception's own message. */
    static String describe(Throwable e) {
        if (e instanceof ManagementException management && management.getValue() != null) {
            return describe(management.getValue());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String describe(ManagementError error) {
        return error.getCode() + ": " + error.getMessage()
                + (error.getTarget() != null ? " (target " + error.getTarget() + ")" : "");
    }

    static String code(Throwable e) {
        return e instanceof ManagementException management && management.getValue() != null
                ? management.getValue().getCode() : null;
    }

    static boolean isNotFound(Throwable e) {
        return e instanceof ManagementException management && management.getResponse() != null
                && management.getResponse().getStatusCode() == 404;
    }

    static boolean isBadRequest(Throwable e) {
        return e instanceof ManagementException management && management.getResponse() != null
                && management.getResponse().getStatusCode() == 400;
    }
}
