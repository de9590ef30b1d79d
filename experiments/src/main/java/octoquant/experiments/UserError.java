package octoquant.experiments;

/**
 * A failure the user can fix that is neither a bad command line nor a data set problem — an unreadable
 * or foreign checkpoint, a results directory that does not match — reported as one line, exit code 1.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
