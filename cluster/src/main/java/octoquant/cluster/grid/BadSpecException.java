package octoquant.cluster.grid;

/** A spec text that this build cannot read (e.g. written by another version); retrying cannot help. */
public final class BadSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadSpecException(String message) {
        super(message);
    }

    public BadSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
