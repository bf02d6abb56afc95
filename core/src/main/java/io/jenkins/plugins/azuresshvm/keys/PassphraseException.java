package io.jenkins.plugins.azuresshvm.keys;

/** An encrypted private key was given no passphrase, or a wrong one. */
public final class PassphraseException extends KeyFormatException {
    private static final long serialVersionUID = 1L;

    private final boolean missing;

    private PassphraseException(String source, int line, String problem, boolean missing) {
        super(source, line, problem);
        this.missing = missing;
    }

    static PassphraseException missing(String source) {
        return new PassphraseException(source, 0, "the private key is encrypted; a passphrase is needed", true);
    }

    static PassphraseException wrong(String source) {
        return new PassphraseException(source, 0, "wrong passphrase for the private key", false);
    }

    /** {@code true} when no passphrase was given, {@code false} when the one given was wrong. */
    public boolean isMissing() {
        return missing;
    }

    @Override
    public PassphraseException at(String source, int line) {
        return new PassphraseException(source, line, problem(), missing);
    }
}
