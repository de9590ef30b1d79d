package octoquant.cluster.cli;

/** A bad sweep command line: the message says what is wrong in one line (exit code 2, then the usage). */
public final class CommandLineError extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandLineError(String message) {
        super(message);
    }
}
