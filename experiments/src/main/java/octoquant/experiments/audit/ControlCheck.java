package octoquant.experiments.audit;

import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.SeedRun;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bit-for-bit check of two runs that must compute the same numbers (int8-fixed-zero and octal8: one grid,
 * one rounding, two spellings): every metric and curve of the run's result — per-epoch losses and accuracies,
 * final test loss and accuracy, parameter count, weight histograms, every mechanism record — compared by their
 * bits. Left out, because they may differ by design: wall times and images/s, and the byte counts of the
 * storages and checkpoints (octal digits take 10 bits per weight, the integers 9).
 */
public final class ControlCheck {
    private ControlCheck() {}

    /** Keys of a run's JSON that are not numbers of the computation. */
    static final Set<String> NOT_COMPARED = Set.of("trainSeconds", "inferenceSeconds", "imagesPerSecond", "inferenceLoadPerCore", "weightBytes",
            "checkpointBytes");

    /** The first place where the two runs differ ({@code epochs[2].testLoss: 0.31 vs 0.32}), or empty. */
    public static Optional<String> firstDifference(SeedRun a, SeedRun b) {
        return diff("", ResultsJson.runJson(a), ResultsJson.runJson(b));
    }

    private static Optional<String> diff(String path, Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new HashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : ma.keySet().stream().filter(keys::contains).toList()) {
                if (NOT_COMPARED.contains(String.valueOf(k))) continue;
                if (!mb.containsKey(k)) return Optional.of(join(path, k) + " is missing in the second run");
                Optional<String> d = diff(join(path, k), ma.get(k), mb.get(k));
                if (d.isPresent()) return d;
            }
            for (Object k : mb.keySet()) {
                if (!ma.containsKey(k) && !NOT_COMPARED.contains(String.valueOf(k))) {
                    return Optional.of(join(path, k) + " is missing in the first run");
                }
            }
            return Optional.empty();
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) return Optional.of(path + " has " + la.size() + " vs " + lb.size() + " entries");
            for (int i = 0; i < la.size(); i++) {
                Optional<String> d = diff(path + "[" + i + "]", la.get(i), lb.get(i));
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
        if (a instanceof long[] x && b instanceof long[] y) {
            return Arrays.equals(x, y) ? Optional.empty() : Optional.of(path + ": " + Arrays.toString(x) + " vs " + Arrays.toString(y));
        }
        if (a instanceof double[] x && b instanceof double[] y) {
            if (x.length != y.length) return Optional.of(path + " has " + x.length + " vs " + y.length + " entries");
            for (int i = 0; i < x.length; i++) {
                if (Double.doubleToLongBits(x[i]) != Double.doubleToLongBits(y[i])) {
                    return Optional.of(path + "[" + i + "]: " + x[i] + " vs " + y[i]);
                }
            }
            return Optional.empty();
        }
        if (a instanceof Number x && b instanceof Number y) {
            boolean same = (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float)
                    ? Double.doubleToLongBits(x.doubleValue()) == Double.doubleToLongBits(y.doubleValue())
                    : x.longValue() == y.longValue();
            return same ? Optional.empty() : Optional.of(path + ": " + a + " vs " + b);
        }
        return java.util.Objects.equals(a, b) ? Optional.empty() : Optional.of(path + ": " + a + " vs " + b);
    }

    private static String join(String path, Object key) {
        return path.isEmpty() ? String.valueOf(key) : path + "." + key;
    }
}
