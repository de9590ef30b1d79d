package octoquant.engine.safetensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of the JSON a safetensors header uses: objects, strings (with every JSON escape) and
 * integers, in arrays nested at most {@value #MAX_DEPTH} levels deep (header → tensor → shape). Anything
 * else — fractions, exponents, {@code true}/{@code false}/{@code null}, duplicate keys, lone surrogates,
 * unescaped control characters, text after the top-level object other than whitespace — is refused. Values
 * come back as {@link LinkedHashMap} (in file order), {@link ArrayList}, {@link String} and {@link Long}.
 */
final class HeaderJsonReader {
    /** The deepest nesting a header needs: the header object, a tensor's object, its shape array. */
    static final int MAX_DEPTH = 3;

    /** A header that is not JSON of this grammar; the message says what and where, in one line. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private HeaderJsonReader(String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must hold one JSON object and nothing else but whitespace. */
    static Map<String, Object> parseObject(String text) throws SyntaxError {
        HeaderJsonReader r = new HeaderJsonReader(text);
        r.skipWhitespace();
        if (r.pos >= text.length() || text.charAt(r.pos) != '{') throw r.error("the header must be a JSON object starting with '{'");
        Map<String, Object> top = r.object(1);
        r.skipWhitespace();
        if (r.pos < text.length()) throw r.error("unexpected " + r.describe(r.pos) + " after the header object");
        return top;
    }

    /** Parses {@code text}, which must hold one JSON array of strings and nothing else but whitespace. */
    static List<String> parseStringArray(String text) throws SyntaxError {
        HeaderJsonReader r = new HeaderJsonReader(text);
        r.skipWhitespace();
        if (r.peek() != '[') throw r.error("expected a JSON array");
        List<Object> values = r.array(MAX_DEPTH);
        r.skipWhitespace();
        if (r.pos < text.length()) throw r.error("unexpected " + r.describe(r.pos) + " after the array");
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) {
            if (!(v instanceof String s)) throw r.error("the array holds a value that is not a string");
            out.add(s);
        }
        return out;
    }

    private Object value(int depth) throws SyntaxError {
        skipWhitespace();
        if (pos >= text.length()) throw error("the header ends where a value was expected");
        char c = text.charAt(pos);
        if (c == '{' || c == '[') {
            if (depth > MAX_DEPTH) throw error("values are nested deeper than a safetensors header's " + MAX_DEPTH + " levels");
            return c == '{' ? object(depth) : array(depth);
        }
        if (c == '"') return string();
        if (c == '-' || (c >= '0' && c <= '9')) return integer();
        throw error("unexpected " + describe(pos) + " where a value was expected (a header holds objects, strings, integers and arrays)");
    }

    private Map<String, Object> object(int depth) throws SyntaxError {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a key in double quotes, found " + describe(pos));
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + HeaderJsonWriter.forMessage(key));
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object, found " + describe(pos));
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxError {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, found " + describe(pos));
            }
        }
    }

    private String string() throws SyntaxError {
        int start = pos;
        pos++; // '"'
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("a string is not closed before the header ends");
            }
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character " + describe(pos) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("a string ends inside an escape");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!text.startsWith("\\u", pos)) throw error("a \\u escape holds a lone surrogate");
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) throw error("a \\u escape holds a lone surrogate");
                        sb.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("a \\u escape holds a lone surrogate");
                    } else {
                        sb.append(u);
                    }
                }
                default -> {
                    pos--;
                    throw error("unknown escape \\" + describe(pos) + " in a string");
                }
            }
        }
    }

    private char hex4() throws SyntaxError {
        if (pos + 4 > text.length()) throw error("a \\u escape needs four hex digits");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') throw error("a \\u escape needs four hex digits");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Long integer() throws SyntaxError {
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) pos++;
        if (pos >= text.length() || !isDigit(text.charAt(pos))) throw error("a '-' is not followed by digits");
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw error("a number has a leading zero");
        }
        long v = 0;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            int d = text.charAt(pos++) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                pos = start;
                throw error("a number is too large");
            }
            v = v * 10 + d;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos = start;
            throw error("only integers belong in a header (shapes and offsets), found a fraction or exponent");
        }
        return negative ? -v : v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expect(char c) throws SyntaxError {
        if (peek() != c) throw error("expected '" + c + "', found " + describe(pos));
        pos++;
    }

    /** The character at {@code pos}, or NUL at the end (never a valid token start). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    /** The character at {@code at} for a message: printable ASCII in quotes, else its code point. */
    private String describe(int at) {
        if (at >= text.length()) return "the end of the header";
        char c = text.charAt(at);
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private SyntaxError error(String problem) {
        return new SyntaxError(problem + " (at character " + pos + ")");
    }
}
