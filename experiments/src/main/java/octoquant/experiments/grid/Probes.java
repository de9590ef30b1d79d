package octoquant.experiments.grid;

import java.util.Locale;

/**
 * What a run records besides its per-epoch metrics. {@code TRACE}: the gradients experiment's step-by-step
 * series (loss, updates lost to rounding, straight-through cosine, weight histograms per epoch).
 * {@code MECHANISM}: per epoch and per parameter, what rounding did to the updates and the codes (the
 * audit's mechanism statistics). {@code ALL}: both.
 */
public enum Probes {
    NONE, TRACE, MECHANISM, ALL;

    public boolean trace() {
        return this == TRACE || this == ALL;
    }

    public boolean mechanism() {
        return this == MECHANISM || this == ALL;
    }

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Probes parse(String text) {
        for (Probes p : values()) if (p.token().equals(text)) return p;
        throw new IllegalArgumentException("unknown probes '" + text + "' (expected none, trace, mechanism or all)");
    }
}
