package octoquant.experiments.index;

import octoquant.experiments.DataError;
import octoquant.experiments.ExitCodes;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.report.HtmlReport;
import octoquant.experiments.report.PlotFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code RenderRuns RUNS_DIR}: draws every run's {@code report.html} and {@code plots/*.svg} again from its
 * {@code results.json} (nothing is trained, results.json and curves.csv are not touched), then writes
 * {@code RUNS_DIR/index.html}. Run by {@code scripts/render-runs.sh} after the report code changes or a
 * run is added. Exit codes: 0 ok, 2 bad command line, 3 a run folder whose results.json cannot be read,
 * 1 a file that cannot be written.
 */
public final class RenderRuns {
    private RenderRuns() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("usage: RenderRuns RUNS_DIR (a folder whose subfolders each hold a run's results.json)");
            return ExitCodes.USAGE;
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            err.println("error: " + dir + " is not a directory; give the folder that holds the run folders");
            return ExitCodes.USAGE;
        }
        try {
            List<RunEntry> runs = RunsIndex.read(dir);
            if (runs.isEmpty()) {
                err.println("data error: no subfolder of " + dir + " holds a results.json");
                return ExitCodes.DATA;
            }
            for (RunEntry e : runs) {
                Path run = dir.resolve(e.folder());
                String html = HtmlReport.render(e.results());
                AtomicFiles.writeString(run.resolve("report.html"), html);
                int plots = PlotFiles.write(run.resolve("plots"), html).size();
                out.println("rendered " + run.resolve("report.html") + " and " + plots + " plots");
            }
            AtomicFiles.writeString(dir.resolve("index.html"), RunsIndex.render(runs, Files.isRegularFile(dir.resolve("README.md"))));
            out.println("wrote " + dir.resolve("index.html") + " (" + runs.size() + " runs)");
            return ExitCodes.OK;
        } catch (DataError e) {
            err.println("data error: " + e.getMessage());
            return ExitCodes.DATA;
        } catch (IOException e) {
            err.println("error: cannot write under " + dir + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }
}
