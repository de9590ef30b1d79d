package octoquant.experiments.cli;

/** A bad command line: the message is one line that says what is wrong; the CLI exits with code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
