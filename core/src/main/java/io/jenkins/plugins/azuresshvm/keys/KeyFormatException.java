package io.jenkins.plugins.azuresshvm.keys;

/**
 * Key material that cannot be read: says where (source, and line where one applies) and what is wrong. Never carries
 * key material or passphrases.
 */
public class KeyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    /** A problem not yet tied to a place; {@link #at} adds one. */
    public KeyFormatException(String problem) {
        this(null, 0, problem);
    }

    /** A problem in {@code source} (a file name or a description), at {@code line} (1-based; 0 when none applies). */
    public KeyFormatException(String source, int line, String problem) {
        super(format(source, line, problem));
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The same problem, placed in {@code source} at {@code line} (0: no line). */
    public KeyFormatException at(String source, int line) {
        KeyFormatException placed = new KeyFormatException(source, line, problem);
        placed.setStackTrace(getStackTrace());
        return placed;
    }

    /** Where the problem is, or {@code null} when not placed. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when no line applies. */
    public int line() {
        return line;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }

    private static String format(String source, int line, String problem) {
        if (source == null) {
            return problem;
        }
        return line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem;
    }
}
