package octoquant.engine.safetensors;

/**
 * JSON string literals for the header the writer builds (and for quoting names in messages): {@code "} and
 * {@code \} escaped, control characters as {@code \}{@code uXXXX}, everything else written as itself
 * (the header is UTF-8).
 */
final class HeaderJsonWriter {
    /** Names longer than this are cut in messages, so an error stays one readable line. */
    private static final int MESSAGE_NAME_LIMIT = 80;

    private HeaderJsonWriter() {}

    /**
     * Appends {@code s} as a JSON string literal.
     *
     * @throws IllegalArgumentException when {@code s} holds a lone surrogate (it has no UTF-8 form)
     */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!pair) throw new IllegalArgumentException("name or metadata " + forMessage(s) + " holds a lone surrogate");
                sb.append(c).append(s.charAt(++i));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** {@code s} quoted and escaped so that it prints on one line, cut after {@value #MESSAGE_NAME_LIMIT} characters. */
    static String forMessage(String s) {
        String cut = s.length() > MESSAGE_NAME_LIMIT ? s.substring(0, MESSAGE_NAME_LIMIT) : s;
        StringBuilder sb = new StringBuilder();
        sb.append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        return cut.length() < s.length() ? sb + "…" : sb.toString();
    }
}
