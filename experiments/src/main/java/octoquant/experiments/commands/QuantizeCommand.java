package octoquant.experiments.commands;

import octoquant.engine.storage.OctalDigits;
import octoquant.engine.storage.Seed;
import octoquant.experiments.cli.Options;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * {@code quantize VALUE… [--bits B]}: for each value, the seed's grid {@code q / (2^B − 1)} under each
 * rounding mode — the integer code, its octal form (Python's {@code oct()} notation), the dequantized
 * value and the error. Nearest-even is the seed's {@code quantize_weights}; toward zero is its
 * {@code quantize_to_octal}.
 */
public final class QuantizeCommand {
    private QuantizeCommand() {}

    public static void run(Options o, PrintStream out) {
        long max = (1L << o.bits) - 1;
        out.printf(Locale.ROOT, "grid: %d bits, step 1/%d = %.8f (the seed's fixed grid, no clipping)%n",
                o.bits, max, 1.0 / max);
        for (String text : o.positional) {
            double v = new BigDecimal(text).doubleValue();
            double scaled = v * max;
            out.println();
            out.printf(Locale.ROOT, "value %s  (x %d = %s)%n", text, max, trim(scaled));
            out.printf("  %-14s %8s %10s %14s %14s%n", "rounding", "code", "octal", "dequantized", "error");
            // The engine's transcriptions of the seed's two functions, so the CLI shows exactly what they compute.
            row(out, "nearest-even", Seed.quantize(v, o.bits), max, v, "the seed's quantize_weights (np.round)");
            row(out, "toward-zero", OctalDigits.parseOctalString(Seed.octize(v, o.bits)), max, v,
                    "the seed's quantize_to_octal (int())");
            row(out, "floor", (long) Math.floor(scaled), max, v, "");
            long lo = (long) Math.floor(scaled);
            double pUp = scaled - lo;
            if (pUp == 0) {
                row(out, "stochastic", lo, max, v, "exactly on the grid: always this code");
            } else {
                row(out, "stochastic", lo, max, v, String.format(Locale.ROOT, "with probability %.4f", 1 - pUp));
                row(out, "", lo + 1, max, v, String.format(Locale.ROOT, "with probability %.4f; expected error 0", pUp));
            }
        }
    }

    private static void row(PrintStream out, String name, long code, long max, double v, String note) {
        double deq = (double) code / max;
        out.printf(Locale.ROOT, "  %-14s %8d %10s %14.8f %+14.8f  %s%n", name, code, octal(code), deq, deq - v, note)
                ;
    }

    /** Python's {@code oct()}: {@code 0o277}, {@code -0o12}, {@code 0o0}. */
    public static String octal(long code) {
        return OctalDigits.toOctalString(code);
    }

    private static String trim(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
