package octoquant.bench;

import java.util.function.BiConsumer;

/**
 * The bench mains' option values, checked: each failure is an {@link IllegalArgumentException} whose
 * message names the flag and what it needs, for the main to print on one line.
 */
final class OptionValues {
    private OptionValues() {}

    /** Calls {@code option} with each flag of {@code args} from {@code from} on and its value, in order. */
    static void pairs(String[] args, int from, BiConsumer<String, String> option) {
        for (int i = from; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
            option.accept(args[i], args[i + 1]);
        }
    }

    /** {@code v} when it is one of {@code allowed}. */
    static String oneOf(String flag, String v, String... allowed) {
        for (String a : allowed) if (a.equals(v)) return v;
        throw new IllegalArgumentException(flag + " must be " + String.join(" or ", allowed) + ", got " + v);
    }

    static int positive(String flag, String v) {
        int n = nonNegative(flag, v);
        if (n < 1) throw new IllegalArgumentException(flag + " must be at least 1, got " + v);
        return n;
    }

    static int nonNegative(String flag, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new IllegalArgumentException(flag + " must not be negative, got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }

    static double seconds(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) throw new IllegalArgumentException(flag + " must be a finite number of seconds >= 0, got " + v);
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number of seconds, got '" + v + "'");
        }
    }

    static long integer(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }
}
