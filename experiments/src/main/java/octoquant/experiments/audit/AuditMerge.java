package octoquant.experiments.audit;

import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.result.RunResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a finished (or partly finished) audit into what people read: every run set's results.json and report
 * (from its run files), then the verdicts ({@code verdicts.json}), the audit's {@code report.html} and the
 * verdict table on the console. Needs the audit's {@code audit.json} in {@code out}.
 */
public final class AuditMerge {
    private AuditMerge() {}

    public static void merge(Path out, List<RunSpec> grid, PrintStream console) throws IOException {
        AuditConfig config = AuditPreparation.read(out);
        List<RunResults> merged = GridMerge.merge(out, grid);
        Map<String, RunResults> bySet = new LinkedHashMap<>();
        int i = 0;
        for (String name : grid.stream().map(RunSpec::runSet).distinct().toList()) bySet.put(name, merged.get(i++));
        AuditOutputs.write(out, config, bySet, console);
    }
}
