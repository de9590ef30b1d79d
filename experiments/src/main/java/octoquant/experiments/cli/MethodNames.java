package octoquant.experiments.cli;

import octoquant.engine.storage.QuantScheme;

/**
 * The help text for method names. The grammar itself lives in one place, the engine's
 * {@link QuantScheme#parse}, which the command line calls once per name before any work starts (so a typo
 * costs an exit code 2 and not an hour of training).
 */
public final class MethodNames {
    private MethodNames() {}

    /** The help text for {@code --methods}. */
    public static final String GRAMMAR = String.join("\n",
            "  float                    fp32 weights (the baseline)",
            "  quant<B>                 the seed's quantization: fixed grid 1/(2^B-1), round to nearest-even",
            "  octal<B>                 the seed's octization: same grid, truncate toward zero, octal storage",
            "  int<B>[-pc][-fixed|-maxabs|-minmax][-nearest|-zero|-floor|-stochastic][-h<F>]",
            "                           uniform quantization: B bits, per-channel, scale policy, rounding",
            "                           (defaults: per-tensor, maxabs, nearest); -h<F>: in --mode storage the",
            "                           frozen scale leaves room for weights to grow F-fold (F >= 1, default "
                    + fmt(QuantScheme.DEFAULT_STORAGE_HEADROOM) + ")",
            "  B is 2..16.");

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
