package octoquant.cluster.sweep;

/** A sweep that cannot go on: a one-line message for the user and the exit code ({@link ExitCode}). */
public final class SweepException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public SweepException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SweepException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
