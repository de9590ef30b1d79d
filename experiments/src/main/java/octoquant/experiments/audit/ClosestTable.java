package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.result.SeedRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * For each number the seed reports, the interpretation (qat, storage, ptq) whose measured mean over seeds comes
 * closest to it, with the measured value beside the seed's. Epoch-indexed numbers are read from the curves at
 * the seed's epoch, or at the runs' last epoch when they are shorter (said in the row). Under ptq the curves are
 * the fp32 training's.
 */
public final class ClosestTable {
    private ClosestTable() {}

    /** One row: the seed's number, the measured value per mode, the closest mode; {@code note} when not run. */
    public record Row(SeedNumber number, Map<String, Double> measured, String closest, int epochUsed, String note) {}

    public static List<Row> rows(Evidence ev) {
        List<Row> out = new ArrayList<>();
        for (SeedNumber s : SeedNumber.ALL) out.add(row(ev, s));
        return out;
    }

    static Row row(Evidence ev, SeedNumber s) {
        Map<String, Double> measured = new LinkedHashMap<>();
        String closest = "";
        double best = Double.POSITIVE_INFINITY;
        int epochUsed = 0;
        for (TrainingMode mode : List.of(TrainingMode.QAT, TrainingMode.STORAGE, TrainingMode.PTQ)) {
            Optional<PlannedSet> set = ev.main(s.experiment(), s.model(), mode);
            if (set.isEmpty()) continue;
            int epochs = set.get().config().epochs();
            int e = s.epoch() == 0 ? 0 : Math.min(s.epoch(), epochs);
            epochUsed = e;
            double v = value(ev, set.get(), s, e);
            if (!Double.isFinite(v)) continue;
            measured.put(mode.token(), v);
            if (Math.abs(v - s.seedValue()) < best) {
                best = Math.abs(v - s.seedValue());
                closest = mode.token();
            }
        }
        String note = "";
        if (measured.isEmpty()) {
            Target t = new Target(s.experiment(), s.model(), "");
            note = "not run here: " + Verdicts.shortReason(Verdicts.notRunReason(ev, t, TrainingMode.QAT));
        }
        return new Row(s, measured, closest, epochUsed, note);
    }

    private static double value(Evidence ev, PlannedSet set, SeedNumber s, int e) {
        String name = set.name();
        return switch (s.quantity()) {
            case "trainAccuracy" -> ev.mean(name, s.method(), r -> Metric.trainAccuracyAt(r, e));
            case "trainLoss" -> ev.mean(name, s.method(), r -> Metric.trainLossAt(r, e));
            case "testAccuracy" -> accuracy(ev, set, s.method(), e);
            case "testLoss" -> ev.mean(name, s.method(), Metric.TEST_LOSS::of);
            case "gap" -> accuracy(ev, set, "octal8", e) - accuracy(ev, set, "quant8", e);
            case "ratio" -> ev.mean(name, "quant8", r -> Metric.trainLossAt(r, e)) / ev.mean(name, "octal8", r -> Metric.trainLossAt(r, e));
            default -> throw new IllegalStateException(s.quantity());
        };
    }

    /**
     * Test accuracy after epoch {@code e}: the final one at the last epoch (or {@code e} 0); earlier, the curve in qat
     * and storage, and under ptq (whose curve is the fp32 model's) the early-ptq set of that length, if any.
     */
    private static double accuracy(Evidence ev, PlannedSet set, String method, int e) {
        String from = setAt(ev, set, e);
        return from == null ? Double.NaN : ev.mean(from, method, at(e, set, Metric::testAccuracyAt, Metric.TEST_ACCURACY::of));
    }

    private static String setAt(Evidence ev, PlannedSet set, int e) {
        if (e == 0 || e == set.config().epochs() || set.mode() != TrainingMode.PTQ) return set.name();
        return ev.withRole(PlannedSet.Role.PTQ_EARLY, set.experiment(), set.model()).filter(x -> x.config().epochs() == e)
                .map(PlannedSet::name).orElse(null);
    }

    private static ToDoubleFunction<SeedRun> at(int e, PlannedSet set, Curve curve, ToDoubleFunction<SeedRun> fin) {
        if (e == 0 || e == set.config().epochs() || set.mode() == TrainingMode.PTQ) return fin;
        return r -> curve.at(r, e);
    }

    @FunctionalInterface
    interface Curve {
        double at(SeedRun r, int epoch);
    }
}
