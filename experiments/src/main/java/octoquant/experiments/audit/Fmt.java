package octoquant.experiments.audit;

import java.util.Locale;

/** Number formats of the audit's texts and tables. */
final class Fmt {
    private Fmt() {}

    static String signed(double v) {
        if (!Double.isFinite(v)) return "–";
        double a = Math.abs(v);
        String f = a >= 100 ? "%+.1f" : a >= 0.1 ? "%+.2f" : a >= 0.001 ? "%+.4f" : "%+.3g";
        return String.format(Locale.ROOT, f, v);
    }

    static String num(double v) {
        if (!Double.isFinite(v)) return "–";
        double a = Math.abs(v);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 0.1 ? "%.2f" : a >= 0.001 ? "%.4f" : "%.3g";
        return String.format(Locale.ROOT, f, v);
    }

    static String p(double p) {
        if (!Double.isFinite(p)) return "–";
        if (p < 1e-4) return String.format(Locale.ROOT, "%.1e", p);
        return String.format(Locale.ROOT, "%.4f", p);
    }

    static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", fraction * 100) : "–";
    }
}
