package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.stats.PairedComparison;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's "why": sentences generated from the mechanism records and the controls, each stated only when
 * the numbers meet its condition — which method lost more updates, whose weights drained toward zero, which
 * ended nearer the frozen-weight control — for the MLP and the CNN in storage mode, then what differs between
 * the two where the sign of quant8 − octal8 differs. Nothing here is written in advance of the data.
 */
public final class WhyText {
    private WhyText() {}

    /** What the text says about one model in storage mode. */
    public record ModelCase(Target target, String set, PairedComparison quantMinusOctal, double quantAcc, double octalAcc,
                            List<MechanismSummary.Epoch> quant, List<MechanismSummary.Epoch> octal, double biasOnly,
                            double deadZoneAtStart) {
        /** +1 when quant8 is ahead (the 95% CI above 0), −1 when octal8 is, 0 when the interval holds 0. */
        int sign() {
            if (quantMinusOctal == null || !Double.isFinite(quantMinusOctal.ciLow())) return 0;
            return quantMinusOctal.ciLow() > 0 ? 1 : quantMinusOctal.ciHigh() < 0 ? -1 : 0;
        }
    }

    public static List<ModelCase> cases(Evidence ev) {
        List<ModelCase> out = new ArrayList<>();
        for (String model : List.of("mlp", "cnn")) {
            Optional<PlannedSet> s = ev.sets().stream().filter(x -> x.role() == PlannedSet.Role.MAIN && x.model().equals(model)
                    && x.mode() == TrainingMode.STORAGE && x.hasMethod("quant8") && x.hasMethod("octal8")).findFirst();
            if (s.isEmpty()) continue;
            PlannedSet set = s.get();
            var pairs = ev.pairs(set.name(), "quant8", Metric.TEST_ACCURACY::of, "octal8", Metric.TEST_ACCURACY::of);
            PairedComparison pc = pairs.n() >= 2 ? PairedComparison.of(pairs.x(), pairs.y()) : null;
            double bias = ev.withRole(PlannedSet.Role.BIAS_ONLY, set.experiment(), model)
                    .map(b -> ev.mean(b.name(), "float", Metric.TEST_ACCURACY::of)).orElse(Double.NaN);
            double dead = ev.main(set.experiment(), model, TrainingMode.QAT).map(q -> MechanismSummary.of(ev, q.name(), "quant8"))
                    .filter(l -> !l.isEmpty()).map(l -> l.get(0).deadZone()).orElse(Double.NaN);
            out.add(new ModelCase(new Target(set.experiment(), model, ""), set.name(), pc,
                    ev.mean(set.name(), "quant8", Metric.TEST_ACCURACY::of), ev.mean(set.name(), "octal8", Metric.TEST_ACCURACY::of),
                    MechanismSummary.of(ev, set.name(), "quant8"), MechanismSummary.of(ev, set.name(), "octal8"), bias, dead));
        }
        return out;
    }

    /** The paragraphs: one per model, then the comparison of the two. */
    public static List<String> paragraphs(List<ModelCase> cases) {
        List<String> out = new ArrayList<>();
        for (ModelCase c : cases) out.add(model(c));
        if (cases.size() == 2) out.add(contrast(cases.get(0), cases.get(1)));
        if (cases.isEmpty()) out.add("No storage-mode run set with quant8 and octal8 finished: nothing to explain yet.");
        return out;
    }

    static String model(ModelCase c) {
        StringBuilder s = new StringBuilder();
        String name = c.target().shortName();
        s.append(String.format(Locale.ROOT, "%s, storage mode (%s): quant8 ends at %s%%, octal8 at %s%%", name, c.set(),
                Fmt.num(c.quantAcc()), Fmt.num(c.octalAcc())));
        PairedComparison pc = c.quantMinusOctal();
        if (pc != null && Double.isFinite(pc.ciLow())) {
            s.append(String.format(Locale.ROOT, " (quant8 − octal8 = %s points, 95%% CI %s to %s, n = %d): %s.", Fmt.signed(pc.difference()),
                    Fmt.signed(pc.ciLow()), Fmt.signed(pc.ciHigh()), pc.n(), c.sign() > 0 ? "quant8 is ahead"
                            : c.sign() < 0 ? "octal8 is ahead" : "the interval holds 0, so these seeds cannot tell the two apart"));
        } else {
            s.append(" (too few seed pairs for an interval).");
        }
        if (c.quant().isEmpty() || c.octal().isEmpty()) return s.append(" No mechanism records.").toString();
        MechanismSummary.Epoch q1 = c.quant().get(0), qE = last(c.quant()), o1 = c.octal().get(0), oE = last(c.octal());
        double lq = mean(c.quant(), MechanismSummary.Epoch::lost), lo = mean(c.octal(), MechanismSummary.Epoch::lost);
        double steps = mean(c.quant(), MechanismSummary.Epoch::meanUpdateSteps);
        s.append(String.format(Locale.ROOT, " Rounding discarded %s of quant8's nonzero weight updates and %s of octal8's "
                + "(mean over epochs); the mean requested update was %s grid steps", Fmt.pct(lq), Fmt.pct(lo), Fmt.num(steps)));
        if (steps < 0.5) s.append(", below the half step round-to-nearest needs to move a weight");
        s.append(". ");
        if (Double.isFinite(lq) && Double.isFinite(lo)) {
            s.append(lq > lo ? "quant8 lost more of its updates. " : lq < lo ? "octal8 lost more of its updates. " : "Both lost as many. ");
        }
        s.append(String.format(Locale.ROOT, "Codes changed in the last epoch: quant8 %s, octal8 %s of the weights. ",
                Fmt.pct(qE.changed()), Fmt.pct(oE.changed())));
        s.append(String.format(Locale.ROOT, "Weights at code 0 went from %s to %s (quant8) and from %s to %s (octal8) between "
                        + "the first and the last epoch; mean |w| from %s to %s (quant8) and from %s to %s (octal8). ",
                Fmt.pct(q1.zeroFraction()), Fmt.pct(qE.zeroFraction()), Fmt.pct(o1.zeroFraction()), Fmt.pct(oE.zeroFraction()),
                Fmt.num(q1.meanAbs()), Fmt.num(qE.meanAbs()), Fmt.num(o1.meanAbs()), Fmt.num(oE.meanAbs())));
        int drained = drained(c);
        if (drained > 0) s.append("octal8's weights drained toward zero: it ends with more weights at 0 and a smaller mean |w| than quant8. ");
        else if (drained < 0) s.append("quant8's weights ended nearer zero than octal8's (more at 0, smaller mean |w|). ");
        else s.append("Neither method's weights ended clearly nearer zero (code-0 share and mean |w| disagree). ");
        if (Double.isFinite(c.biasOnly())) {
            double dq = Math.abs(c.quantAcc() - c.biasOnly()), dO = Math.abs(c.octalAcc() - c.biasOnly());
            s.append(String.format(Locale.ROOT, "With every weight frozen at its initial value and only the biases trained "
                    + "(bias-only control) this network reaches %s%%; quant8 ends %s points from it, octal8 %s. ",
                    Fmt.num(c.biasOnly()), Fmt.num(dq), Fmt.num(dO)));
        }
        s.append(conclusion(c, lq, lo, drained));
        return s.toString();
    }

    /** +1 when octal8 drained more (more at code 0 and smaller mean |w| at the end), −1 for quant8, 0 when mixed. */
    static int drained(ModelCase c) {
        MechanismSummary.Epoch q = last(c.quant()), o = last(c.octal());
        boolean oz = o.zeroFraction() > q.zeroFraction(), om = o.meanAbs() < q.meanAbs();
        boolean qz = q.zeroFraction() > o.zeroFraction(), qm = q.meanAbs() < o.meanAbs();
        return oz && om ? 1 : qz && qm ? -1 : 0;
    }

    private static String conclusion(ModelCase c, double lq, double lo, int drained) {
        if (c.sign() > 0) {
            return drained > 0 ? "Here the drain toward zero costs octal8 more than the lost updates cost quant8."
                    : "Here quant8 is ahead although octal8's weights did not drain more: these mechanism numbers do not explain the sign.";
        }
        if (c.sign() < 0) {
            return lq > lo ? "Here losing more of its updates costs quant8 more than the drain costs octal8: truncation still moves octal8's weights."
                    : "Here octal8 is ahead although quant8 did not lose more updates: these mechanism numbers do not explain the sign.";
        }
        return "There is no sign to explain on these seeds.";
    }

    static String contrast(ModelCase a, ModelCase b) {
        if (a.sign() == b.sign()) {
            return String.format(Locale.ROOT, "The sign of quant8 − octal8 in storage mode is the same for the %s and the %s "
                    + "here (%s): nothing to contrast on these runs.", a.target().shortName(), b.target().shortName(),
                    a.sign() > 0 ? "quant8 ahead in both" : a.sign() < 0 ? "octal8 ahead in both" : "no difference in either");
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "The sign of quant8 − octal8 in storage mode differs: "
                + "%s for the %s, %s for the %s. ", word(a.sign()), a.target().shortName(), word(b.sign()), b.target().shortName()));
        double qa = mean(a.quant(), MechanismSummary.Epoch::changed), qb = mean(b.quant(), MechanismSummary.Epoch::changed);
        s.append(String.format(Locale.ROOT, "quant8 changed %s of its codes per epoch in the %s and %s in the %s (mean over "
                + "epochs). ", Fmt.pct(qa), a.target().shortName(), Fmt.pct(qb), b.target().shortName()));
        boolean biases = Double.isFinite(a.biasOnly()) && Double.isFinite(b.biasOnly());
        if (biases) {
            s.append(String.format(Locale.ROOT, "It ends %s points above the bias-only control (frozen initial weights, on the "
                            + "same data) in the %s and %s in the %s. ", Fmt.signed(a.quantAcc() - a.biasOnly()),
                    a.target().shortName(), Fmt.signed(b.quantAcc() - b.biasOnly()), b.target().shortName()));
        }
        ModelCase quantWins = a.sign() > 0 ? a : b.sign() > 0 ? b : null;
        if (quantWins != null) {
            ModelCase other = quantWins == a ? b : a;
            double qw = quantWins == a ? qa : qb, qo = quantWins == a ? qb : qa;
            boolean moved = qw > qo;
            boolean trained = !biases || quantWins.quantAcc() - quantWins.biasOnly() > other.quantAcc() - other.biasOnly();
            if (moved && trained) {
                s.append("So where quant8 wins, enough of its updates cross half a grid step to move its codes and train the "
                        + "network; where it loses, its codes barely move" + (biases ? " and it ends nearer what frozen weights give" : "")
                        + ". ");
            } else {
                s.append("quant8's code changes" + (biases ? " and its distance from the frozen-weight control" : "")
                        + " do not line up with the sign: these numbers do not say why it differs. ");
            }
        }
        double oa = last(a.octal()).zeroFraction(), ob = last(b.octal()).zeroFraction();
        s.append(String.format(Locale.ROOT, "octal8 ends with %s of the %s's weights at code 0 and %s of the %s's%s. ", Fmt.pct(oa),
                a.target().shortName(), Fmt.pct(ob), b.target().shortName(),
                oa > 0.5 && ob > 0.5 ? ": it drains both networks" : ""));
        if (Double.isFinite(a.deadZoneAtStart()) && Double.isFinite(b.deadZoneAtStart())) {
            s.append(String.format(Locale.ROOT, "Share of weights within one grid step of 0 (truncation's dead zone) after the "
                            + "first qat epoch: %s %s, %s %s.", a.target().shortName(), Fmt.pct(a.deadZoneAtStart()),
                    b.target().shortName(), Fmt.pct(b.deadZoneAtStart())));
        }
        return s.toString();
    }

    private static String word(int sign) {
        return sign > 0 ? "quant8 ahead" : sign < 0 ? "octal8 ahead" : "no difference";
    }

    private static MechanismSummary.Epoch last(List<MechanismSummary.Epoch> l) {
        return l.get(l.size() - 1);
    }

    private static double mean(List<MechanismSummary.Epoch> l, java.util.function.ToDoubleFunction<MechanismSummary.Epoch> f) {
        return l.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
