package octoquant.experiments.io;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from a parsed JSON object, with messages that name the missing or mistyped field by its
 * path (e.g. {@code methods[1].runs[0].seed}).
 */
public final class JsonObject {
    private final Map<?, ?> map;
    private final String path;

    public JsonObject(Object parsed, String path) {
        if (!(parsed instanceof Map<?, ?> m)) throw new JsonException(path + " is not a JSON object");
        this.map = m;
        this.path = path;
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    public Object raw(String key) {
        return map.get(key);
    }

    private Object required(String key) {
        if (!map.containsKey(key)) throw new JsonException(where(key) + " is missing");
        return map.get(key);
    }

    private String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String string(String key) {
        Object v = required(key);
        if (v instanceof String s) return s;
        throw new JsonException(where(key) + " should be a string");
    }

    /** A number; JSON null reads as NaN (that is how non-finite numbers are written). */
    public double number(String key) {
        Object v = required(key);
        if (v == null) return Double.NaN;
        if (v instanceof Number n) return n.doubleValue();
        throw new JsonException(where(key) + " should be a number");
    }

    public long integer(String key) {
        Object v = required(key);
        if (v instanceof Long l) return l;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return (long) n.doubleValue();
        throw new JsonException(where(key) + " should be an integer");
    }

    public boolean bool(String key) {
        Object v = required(key);
        if (v instanceof Boolean b) return b;
        throw new JsonException(where(key) + " should be true or false");
    }

    public JsonObject object(String key) {
        return new JsonObject(required(key), where(key));
    }

    public List<?> list(String key) {
        Object v = required(key);
        if (v instanceof List<?> l) return l;
        throw new JsonException(where(key) + " should be an array");
    }

    /** An array of numbers (nulls read as NaN). */
    public double[] numbers(String key) {
        List<?> l = list(key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = l.get(i);
            if (v == null) out[i] = Double.NaN;
            else if (v instanceof Number n) out[i] = n.doubleValue();
            else throw new JsonException(where(key) + "[" + i + "] should be a number");
        }
        return out;
    }

    /** The i-th element of an array of objects. */
    public JsonObject element(String key, int i) {
        return new JsonObject(list(key).get(i), where(key) + "[" + i + "]");
    }

    public String path() {
        return path;
    }
}
