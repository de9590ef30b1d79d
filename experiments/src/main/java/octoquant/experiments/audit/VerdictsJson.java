package octoquant.experiments.audit;

import octoquant.experiments.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verdicts.json} (schema {@value #SCHEMA}):
 *
 * <pre>
 * { "schema", "budget", "seeds", "minPairs", "alpha", "comparisonsInHolmFamily",
 *   "claims": [ { "id", "title", "seedWords", "verdict", "because", "rule",
 *                 "rows": [ { "interpretation", "setup", "dataSet", "model", "mode", "runSet", "epochs", "measure",
 *                             "comparison", "n", "difference", "ciLow", "ciHigh", "p", "permutationP", "wilcoxonP",
 *                             "adjustedP", "effectSize", "seedValue", "verdict", "detail" } ] } ],
 *   "closest": [ { "seedNumber", "seedValue", "dataSet", "model", "method", "epoch", "epochUsed", "measured": {mode: value},
 *                  "closest", "note" } ],
 *   "why": [ paragraph… ] }
 * </pre>
 *
 * {@code difference}/{@code ciLow}/{@code ciHigh}: the mean paired difference x − y of {@code comparison} over seeds and
 * its 95% paired-t interval; {@code p}: paired t; {@code permutationP}: exact sign-flip; {@code adjustedP}: the
 * paired t p after Holm–Bonferroni over every comparison of the audit with at least {@code minPairs} pairs;
 * {@code effectSize}: Cohen's d_z. Numbers that do not apply are null.
 */
public final class VerdictsJson {
    private VerdictsJson() {}

    public static final String SCHEMA = "octoquant-verdicts/1";

    public static String write(AuditConfig config, List<ClaimVerdict> verdicts, List<ClosestTable.Row> closest, List<String> why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("budget", config.budget().token());
        m.put("seeds", config.seeds());
        m.put("minPairs", Verdicts.MIN_PAIRS);
        m.put("alpha", Verdicts.ALPHA);
        m.put("comparisonsInHolmFamily", verdicts.stream().flatMap(v -> v.rows().stream())
                .filter(r -> Double.isFinite(r.adjustedP())).count());
        List<Object> claims = new ArrayList<>();
        for (ClaimVerdict v : verdicts) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", v.claim().id());
            c.put("title", v.claim().title());
            c.put("seedWords", v.claim().seedWords());
            c.put("verdict", v.verdict());
            c.put("because", v.because());
            c.put("rule", v.claim().rule().text());
            List<Object> rows = new ArrayList<>();
            for (VerdictRow r : v.rows()) rows.add(row(r));
            c.put("rows", rows);
            claims.add(c);
        }
        m.put("claims", claims);
        List<Object> cl = new ArrayList<>();
        for (ClosestTable.Row r : closest) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("seedNumber", r.number().label());
            j.put("seedValue", r.number().seedValue());
            j.put("dataSet", r.number().experiment());
            j.put("model", r.number().model());
            j.put("method", r.number().method());
            j.put("epoch", r.number().epoch());
            j.put("epochUsed", r.epochUsed());
            j.put("measured", new LinkedHashMap<>(r.measured()));
            j.put("closest", r.closest());
            j.put("note", r.note());
            cl.add(j);
        }
        m.put("closest", cl);
        m.put("why", why);
        return Json.write(m);
    }

    static Map<String, Object> row(VerdictRow r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("interpretation", r.interpretation());
        j.put("setup", r.setup());
        j.put("dataSet", r.experiment());
        j.put("model", r.model());
        j.put("mode", r.mode());
        j.put("runSet", r.runSet());
        j.put("epochs", r.epochs());
        j.put("measure", r.measure());
        j.put("comparison", r.comparison());
        j.put("n", r.n());
        j.put("difference", r.difference());
        j.put("ciLow", r.ciLow());
        j.put("ciHigh", r.ciHigh());
        j.put("p", r.p());
        j.put("permutationP", r.permutationP());
        j.put("wilcoxonP", r.wilcoxonP());
        j.put("adjustedP", r.adjustedP());
        j.put("effectSize", r.effectSize());
        j.put("seedValue", r.seedValue());
        j.put("verdict", r.verdict());
        j.put("detail", r.detail());
        return j;
    }
}
