package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.InvalidVmSpecException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.ssh.AuthenticationRefusedException;
import io.jenkins.plugins.azuresshvm.ssh.HostKeyMismatchException;
import io.jenkins.plugins.azuresshvm.ssh.SshTimeoutException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

/**
 * A failure as azssh reports it: a stable {@code code} for programs and a one-line {@code message} for people, which
 * never holds key material.
 */
record CliError(String code, String message) {
    /** The code of a command line picocli could not parse (exit code 2). */
    static final String INVALID_USAGE = "InvalidUsage";

    static CliError of(Exception e) {
        return new CliError(code(e), message(e));
    }

    /** {@code {"error":{"code":…,"message":…}}}. */
    String toJson() {
        return JsonLine.of(Map.of("error", this));
    }

    private static String code(Exception e) {
        if (e instanceof HostKeyMismatchException) {
            return "HostKeyMismatch";
        }
        if (e instanceof AuthenticationRefusedException) {
            return "AuthenticationRefused";
        }
        if (e instanceof SshTimeoutException) {
            return "SshTimeout";
        }
        if (e instanceof HostKeyDisagreementException) {
            return "HostKeyDisagreement";
        }
        if (e instanceof HostKeyProbeException) {
            return "HostKeyProbeFailed";
        }
        if (e instanceof AzureVmException) {
            return "AzureError";
        }
        if (e instanceof InvalidVmSpecException) {
            return "InvalidVmSpec";
        }
        if (e instanceof KeyFormatException) {
            return "InvalidKey";
        }
        if (e instanceof IllegalArgumentException) {
            return "InvalidArgument";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "FileExists";
        }
        if (e instanceof NoSuchFileException) {
            return "FileNotFound";
        }
        if (e instanceof AccessDeniedException) {
            return "PermissionDenied";
        }
        if (e instanceof FileSystemException) {
            return "FileSystemError";
        }
        return e instanceof IOException ? "IoError" : "InternalError";
    }

    /** One line saying what went wrong, for the failures users can act on. */
    private static String message(Exception e) {
        if (e instanceof KeyFormatException || e instanceof IllegalArgumentException
                || e instanceof HostKeyMismatchException || e instanceof AuthenticationRefusedException
                || e instanceof SshTimeoutException || e instanceof HostKeyProbeException
                || e instanceof AzureVmException) {
            return e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " " + (exists.getReason() != null ? exists.getReason() : "already exists");
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException fs) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName());
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }
}
