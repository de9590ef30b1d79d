package octoquant.experiments.report;

import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;

import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The line under each plot's title: how many runs a line or a dot stands for, and what its band or bar is. */
final class PlotNotes {
    private PlotNotes() {}

    /** For learning curves: the seeds behind each line and what the band spans. */
    static String seedsAndBand(RunResults r) {
        TreeSet<Integer> seeds = new TreeSet<>();
        boolean diverged = false;
        for (MethodResult m : r.methods) {
            for (SeedRun s : m.runs) {
                seeds.add(s.seed);
                diverged |= s.diverged();
            }
        }
        if (seeds.size() == 1) return "one run per line (seed " + seeds.first() + "); no band";
        String list = seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return "line: mean over " + seeds.size() + " seeds (" + list + ")"
                + (diverged ? ", diverged runs left out after they stopped" : "")
                + "; band: lowest to highest seed";
    }

    /** For the final-value plot. */
    static String finalValues(RunResults r) {
        return "big marker: mean of the n seeds under each name; bar: 95% CI (Student t); small dots: single seeds";
    }

    /** For a classification run's weight histogram. */
    static String histogram(int seed, WeightHistogram w) {
        return String.format(Locale.ROOT, "seed %d (the first); %,d weights%s", seed, total(w),
                w.parameter().endsWith(" near zero") ? " in this window" : "");
    }

    /** For the gradients experiment's line plots; {@code point} says what one point is. */
    static String gradients(RunResults r, String point) {
        return "one run per line (seed " + seed(r) + "), so no band; each point: " + point;
    }

    /** For the gradients experiment's weight histograms. */
    static String gradientHistogram(RunResults r, GradientSeries g) {
        long n = g.histograms.isEmpty() ? 0 : total(g.histograms.get(0));
        return String.format(Locale.ROOT, "seed %s; %,d first-layer weights; from the start (grey, dashed) to the "
                + "end of training (full colour)", seed(r), n);
    }

    private static String seed(RunResults r) {
        Object s = r.config.get("seedOffset");
        if (s instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return Long.toString(n.longValue());
        return s == null ? "0" : String.valueOf(s);
    }

    private static long total(WeightHistogram w) {
        long t = 0;
        for (long c : w.counts()) t += c;
        return t;
    }
}
