package io.jenkins.plugins.azuresshvm.azure;

/** An Azure operation on a VM failed or did not finish in time; the message says which and why. */
public class AzureVmException extends RuntimeException {
    public AzureVmException(String message) {
        super(message);
    }

    public AzureVmException(String message, Throwable cause) {
        super(message, cause);
    }
}
