package octoquant.experiments.audit;

import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An audit's configuration, {@code audit.json} in its output folder (schema {@value #SCHEMA}): the budget and
 * the overrides it was started with, and the plan they resolved to — every run set with its role and
 * configuration, and the sets not run here with the reason. {@code --resume} reads it back and runs exactly
 * this plan (the adaptive training-set size is not chosen again). {@code data} is where the data was found; it
 * does not change the numbers.
 *
 * <pre>
 * { "schema", "budget", "seeds", "overrides": {"seeds", "epochs", "limitTrain", "limitTest"}, "data",
 *   "adaptiveLimit", "runSets": [ {"name", "role", "config": {…config.json…}} ],
 *   "notRun": [ {"name", "role", "config", "reason"} ] }
 * </pre>
 */
public record AuditConfig(Budget budget, int seeds, Overrides overrides, String data, int adaptiveLimit,
                          List<PlannedSet> runSets, List<NotRun> notRun) {
    public static final String SCHEMA = "octoquant-audit/1";

    public AuditConfig {
        runSets = List.copyOf(runSets);
        notRun = List.copyOf(notRun);
    }

    /** Every run of the plan, in the order it runs. */
    public List<RunSpec> grid() {
        return AuditPlan.grid(runSets);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("budget", budget.token());
        m.put("seeds", seeds);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seeds", overrides.seeds());
        o.put("epochs", overrides.epochs());
        o.put("limitTrain", overrides.limitTrain());
        o.put("limitTest", overrides.limitTest());
        m.put("overrides", o);
        m.put("data", data == null ? "" : data);
        m.put("adaptiveLimit", adaptiveLimit);
        List<Object> sets = new ArrayList<>();
        for (PlannedSet s : runSets) sets.add(setJson(s));
        m.put("runSets", sets);
        List<Object> skipped = new ArrayList<>();
        for (NotRun n : notRun) {
            Map<String, Object> j = setJson(n.set());
            j.put("reason", n.reason());
            skipped.add(j);
        }
        m.put("notRun", skipped);
        return m;
    }

    private static Map<String, Object> setJson(PlannedSet s) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", s.name());
        j.put("role", s.role().token());
        j.put("config", s.config().toJson());
        return j;
    }

    public String toJsonText() {
        return Json.write(toJson());
    }

    /**
     * Reads {@code audit.json}.
     *
     * @throws JsonException or IllegalArgumentException naming what is wrong
     */
    public static AuditConfig parse(String text) {
        JsonObject j = new JsonObject(Json.parse(text), "audit.json");
        String schema = j.string("schema");
        if (!schema.equals(SCHEMA)) throw new JsonException("schema is '" + schema + "', this build reads '" + SCHEMA + "'");
        JsonObject o = j.object("overrides");
        Overrides ov = new Overrides((int) o.integer("seeds"), (int) o.integer("epochs"), (int) o.integer("limitTrain"),
                (int) o.integer("limitTest"));
        List<PlannedSet> sets = new ArrayList<>();
        for (int i = 0; i < j.list("runSets").size(); i++) sets.add(readSet(j.element("runSets", i)));
        List<NotRun> skipped = new ArrayList<>();
        for (int i = 0; i < j.list("notRun").size(); i++) {
            JsonObject n = j.element("notRun", i);
            skipped.add(new NotRun(readSet(n), n.string("reason")));
        }
        String data = j.string("data");
        return new AuditConfig(Budget.parse(j.string("budget")), (int) j.integer("seeds"), ov, data.isEmpty() ? null : data,
                (int) j.integer("adaptiveLimit"), sets, skipped);
    }

    private static PlannedSet readSet(JsonObject s) {
        return new PlannedSet(s.string("name"), PlannedSet.Role.parse(s.string("role")),
                RunSetConfig.fromJson(s.raw("config"), "audit.json run set " + s.string("name")));
    }
}
