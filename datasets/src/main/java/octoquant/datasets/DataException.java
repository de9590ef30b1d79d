package octoquant.datasets;

import java.nio.file.Path;

/**
 * The one data error of this module: a data set is missing, unreadable, corrupt or fails its checksum.
 *
 * <p>The message is a single line that names the file, the problem and what to do about it; a command line
 * prints it as is and exits with code 3 (see DESIGN.md). {@link #problem()} tells the kind of problem apart
 * for programs and tests.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, one value per distinct message family. */
    public enum Problem {
        /** A required file is not in any searched location (and could not be downloaded). */
        MISSING,
        /** The file exists but the operating system refuses to read it. */
        UNREADABLE,
        /** The gzip stream is not valid gzip/deflate data. */
        CORRUPT_GZIP,
        /** The file ends before the data its header declares. */
        TRUNCATED,
        /** The file carries more bytes than its header declares. */
        TRAILING_DATA,
        /** The magic number or header fields are not those of the expected format. */
        WRONG_MAGIC,
        /** The header declares more data than this program can hold. */
        TOO_LARGE,
        /** Image and label files disagree on the number of examples. */
        COUNT_MISMATCH,
        /** A label lies outside 0..classes-1. */
        LABEL_OUT_OF_RANGE,
        /** The content's SHA-256 / MD5 differs from the canonical file's. */
        CHECKSUM,
        /** A tar archive is malformed or holds an entry that would escape its target folder. */
        BAD_ARCHIVE,
        /** A download failed (network, HTTP status, interrupted transfer). */
        DOWNLOAD_FAILED
    }

    private final Problem problem;

    public DataException(Problem problem, String message) {
        super(oneLine(message));
        this.problem = problem;
    }

    public DataException(Problem problem, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.problem = problem;
    }

    /** Convenience: "FILE: message". */
    public static DataException of(Problem problem, Path file, String message) {
        return new DataException(problem, file + ": " + message);
    }

    /** Convenience: "FILE: message", keeping the cause for debugging (never printed by the CLI). */
    public static DataException of(Problem problem, Path file, String message, Throwable cause) {
        return new DataException(problem, file + ": " + message, cause);
    }

    public Problem problem() {
        return problem;
    }

    // A CLI prints getMessage() verbatim; a stray newline from a cause's message must not break the one-line rule.
    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }
}
