package octoquant.engine.safetensors;

/**
 * The one error of this package: a safetensors file that cannot be read (missing, unreadable, malformed)
 * or written. The message is a single line {@code <file>: <what is wrong>}; names from the file are quoted
 * and escaped so they cannot break the line.
 */
public final class SafetensorsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String source, String problem) {
        super(oneLine(source + ": " + problem));
    }

    public SafetensorsException(String source, String problem, Throwable cause) {
        super(oneLine(source + ": " + problem), cause);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
