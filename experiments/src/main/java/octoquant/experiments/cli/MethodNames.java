package octoquant.experiments.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of method names on the command line, checked before any work starts so a typo costs an
 * exit code 2 and not an hour of training. (The engine's scheme parser builds the storage; this class only
 * says whether a name is well formed and explains the grammar.)
 */
public final class MethodNames {
    private MethodNames() {}

    private static final Pattern SEED = Pattern.compile("(quant|octal)(\\d+)");
    private static final Pattern INT =
            Pattern.compile("int(\\d+)(-pc)?(-fixed|-maxabs|-minmax)?(-nearest|-zero|-floor|-stochastic)?");

    /** The help text for {@code --methods}. */
    public static final String GRAMMAR = String.join("\n",
            "  float                    fp32 weights (the baseline)",
            "  quant<B>                 the seed's quantization: fixed grid 1/(2^B-1), round to nearest-even",
            "  octal<B>                 the seed's octization: same grid, truncate toward zero, octal storage",
            "  int<B>[-pc][-fixed|-maxabs|-minmax][-nearest|-zero|-floor|-stochastic]",
            "                           uniform quantization: B bits, per-channel, scale policy, rounding",
            "                           (defaults: per-tensor, maxabs, nearest)",
            "  B is 2..8 or 16.");

    /** Returns null when {@code name} is a valid method name, else a one-line reason. */
    public static String problem(String name) {
        if (name.equals("float")) return null;
        Matcher m = SEED.matcher(name);
        if (m.matches()) return bitsProblem(name, m.group(2));
        m = INT.matcher(name);
        if (m.matches()) return bitsProblem(name, m.group(1));
        return "unknown method '" + name + "' (expected float, quant<B>, octal<B> or int<B>[-pc][-fixed|-maxabs"
                + "|-minmax][-nearest|-zero|-floor|-stochastic]; see --help)";
    }

    private static String bitsProblem(String name, String digits) {
        int b;
        try {
            b = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            b = -1;
        }
        if ((b >= 2 && b <= 8) || b == 16) return null;
        return "method '" + name + "' has " + digits + " bits; bit widths are 2..8 or 16";
    }
}
