package octoquant.experiments.io;

/** A JSON document that does not parse, or lacks a field a reader needs; the message says where. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
