package octoquant.experiments;

/** A data problem found by the experiments themselves (e.g. a merge input that is not a results.json). */
public final class DataError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataError(String message) {
        super(message);
    }
}
