package octoquant.experiments.audit;

import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.report.PlotFiles;
import octoquant.experiments.result.RunResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes an audit's verdicts: {@code verdicts.json}, {@code report.html}, {@code plots/}, and the console table. */
public final class AuditOutputs {
    private AuditOutputs() {}

    public static List<ClaimVerdict> write(Path out, AuditConfig config, Map<String, RunResults> bySet, PrintStream console)
            throws IOException {
        DataSources sources = new DataSources(config.data() == null ? null : Path.of(config.data()));
        Evidence ev = new Evidence(config, bySet, e -> sources.source(e).missing());
        List<ClaimVerdict> verdicts = Verdicts.evaluate(ev);
        List<ClosestTable.Row> closest = ClosestTable.rows(ev);
        List<String> why = WhyText.paragraphs(WhyText.cases(ev));
        AtomicFiles.writeString(out.resolve("verdicts.json"), VerdictsJson.write(config, verdicts, closest, why));
        String html = AuditReport.render(config, verdicts, closest, why, AuditPlots.mechanism(ev), AuditPlots.sweep(ev),
                SweepPoint.of(ev), ControlsTable.rows(ev));
        AtomicFiles.writeString(out.resolve("report.html"), html);
        PlotFiles.write(out.resolve("plots"), html);
        console.println();
        console.print(AuditConsole.render(verdicts));
        console.println();
        console.println("wrote " + out.resolve("verdicts.json") + ", " + out.resolve("report.html"));
        return verdicts;
    }
}
