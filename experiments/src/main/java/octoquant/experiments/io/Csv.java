package octoquant.experiments.io;

import java.util.List;

/** Builds RFC 4180 CSV text: a header, then rows; fields quoted only when they need it. */
public final class Csv {
    private final StringBuilder sb = new StringBuilder();
    private final int columns;

    public Csv(List<String> header) {
        this.columns = header.size();
        appendRow(header.toArray());
    }

    /** Appends a row; doubles are written with full precision, NaN as an empty field. */
    public Csv row(Object... fields) {
        if (fields.length != columns) {
            throw new IllegalArgumentException("CSV row has " + fields.length + " fields, header has " + columns);
        }
        appendRow(fields);
        return this;
    }

    private void appendRow(Object[] fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(field(fields[i]));
        }
        sb.append("\r\n");
    }

    private static String field(Object f) {
        if (f == null) return "";
        if (f instanceof Double d) return Double.isFinite(d) ? Double.toString(d) : "";
        if (f instanceof Float d) return Float.isFinite(d) ? Float.toString(d) : "";
        String s = f.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
