package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One point of the learning-rate sweep: a method at a learning rate, its mean test accuracy and share of updates
 * lost at the sweep's epoch. The seed's learning rate comes from the set-up's storage run set, read at the sweep's
 * epoch (a run's first epochs are exactly those of a shorter run).
 */
public record SweepPoint(String method, double lr, double accuracy, double lost, int n) {

    public static List<SweepPoint> of(Evidence ev) {
        List<PlannedSet> sweep = ev.sets().stream().filter(s -> s.role() == PlannedSet.Role.LR_SWEEP).toList();
        if (sweep.isEmpty()) return List.of();
        PlannedSet first = sweep.get(0);
        int epoch = first.config().epochs();
        List<PlannedSet> sets = new ArrayList<>(sweep);
        Optional<PlannedSet> main = ev.main(first.experiment(), first.model(), TrainingMode.STORAGE)
                .filter(m -> m.config().epochs() >= epoch && m.config().limitTrain() == first.config().limitTrain()
                        && sweep.stream().noneMatch(s -> s.config().lr() == m.config().lr()));
        main.ifPresent(sets::add);
        List<SweepPoint> out = new ArrayList<>();
        for (PlannedSet s : sets) {
            for (var m : first.config().methods()) {
                String method = m.name();
                if (!s.hasMethod(method)) continue;
                var runs = ev.runs(s.name(), method);
                double acc = ev.mean(s.name(), method, r -> Metric.testAccuracyAt(r, epoch));
                List<MechanismSummary.Epoch> mech = MechanismSummary.of(ev, s.name(), method);
                double lost = mech.stream().filter(e -> e.epoch() == epoch).mapToDouble(MechanismSummary.Epoch::lost).findFirst()
                        .orElse(Double.NaN);
                out.add(new SweepPoint(method, s.config().lr(), acc, lost, runs.size()));
            }
        }
        out.sort(Comparator.comparing(SweepPoint::method).thenComparingDouble(SweepPoint::lr));
        return out;
    }
}
