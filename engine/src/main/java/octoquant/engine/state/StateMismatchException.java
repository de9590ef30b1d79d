package octoquant.engine.state;

/**
 * Saved state that does not fit the object it is restored into (built with another shape, bit width,
 * scheme or kind, or an entry of the wrong size or missing). The message is one line naming the entry.
 */
public final class StateMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public StateMismatchException(String message) {
        super(message);
    }
}
