package octoquant.experiments.audit;

import octoquant.experiments.result.MechanismRecord;
import octoquant.experiments.result.SeedRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mechanism records of one method in one run set, over all weight matrices (biases apart) and averaged over
 * seeds, per epoch: update fractions weighted by the number of updates, the other quantities by the number of
 * weights; the qat cosine is the whole network's.
 */
public final class MechanismSummary {
    private MechanismSummary() {}

    /** One epoch. NaN where a quantity does not apply (update counters outside storage mode, cosine outside qat). */
    public record Epoch(int epoch, double lost, double applied, double meanUpdateSteps, double zeroFraction, double meanAbs,
                        double meanAbsMaster, double changed, double deadZone, double cosine) {}

    public static List<Epoch> of(Evidence ev, String set, String method) {
        Map<Integer, List<Epoch>> byEpoch = new TreeMap<>();
        for (SeedRun r : ev.runs(set, method).values()) {
            if (r.diverged()) continue;
            for (Epoch e : perRun(r.mechanism)) byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>()).add(e);
        }
        List<Epoch> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Epoch>> e : byEpoch.entrySet()) {
            List<Epoch> v = e.getValue();
            out.add(new Epoch(e.getKey(), avg(v, Epoch::lost), avg(v, Epoch::applied), avg(v, Epoch::meanUpdateSteps),
                    avg(v, Epoch::zeroFraction), avg(v, Epoch::meanAbs), avg(v, Epoch::meanAbsMaster), avg(v, Epoch::changed),
                    avg(v, Epoch::deadZone), avg(v, Epoch::cosine)));
        }
        return out;
    }

    /** One run's records, weights only, pooled per epoch. */
    static List<Epoch> perRun(List<MechanismRecord> records) {
        Map<Integer, List<MechanismRecord>> byEpoch = new TreeMap<>();
        for (MechanismRecord m : records) if (m.kind().equals("weight")) byEpoch.computeIfAbsent(m.epoch(), k -> new ArrayList<>()).add(m);
        List<Epoch> out = new ArrayList<>();
        for (Map.Entry<Integer, List<MechanismRecord>> e : byEpoch.entrySet()) {
            List<MechanismRecord> ms = e.getValue();
            out.add(new Epoch(e.getKey(), byUpdates(ms, MechanismRecord::lost), byUpdates(ms, MechanismRecord::applied),
                    byUpdates(ms, MechanismRecord::meanUpdateSteps), byWeights(ms, MechanismRecord::zeroFraction),
                    byWeights(ms, MechanismRecord::meanAbs), byWeights(ms, MechanismRecord::meanAbsMaster),
                    byWeights(ms, MechanismRecord::changedFraction), byWeights(ms, MechanismRecord::deadZoneFraction),
                    ms.get(0).cosine()));
        }
        return out;
    }

    private static double byUpdates(List<MechanismRecord> ms, java.util.function.ToDoubleFunction<MechanismRecord> f) {
        double s = 0, w = 0;
        for (MechanismRecord m : ms) {
            double v = f.applyAsDouble(m);
            if (!Double.isFinite(v) || !(m.updates() > 0)) continue;
            s += v * m.updates();
            w += m.updates();
        }
        return w > 0 ? s / w : Double.NaN;
    }

    private static double byWeights(List<MechanismRecord> ms, java.util.function.ToDoubleFunction<MechanismRecord> f) {
        double s = 0, w = 0;
        for (MechanismRecord m : ms) {
            double v = f.applyAsDouble(m);
            if (!Double.isFinite(v)) continue;
            s += v * m.weights();
            w += m.weights();
        }
        return w > 0 ? s / w : Double.NaN;
    }

    private static double avg(List<Epoch> v, java.util.function.ToDoubleFunction<Epoch> f) {
        return v.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
