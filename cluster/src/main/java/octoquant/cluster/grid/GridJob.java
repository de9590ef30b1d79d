package octoquant.cluster.grid;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a sweep distributes: the grid of independent runs an experiment command line describes, how one run is
 * executed, and how the finished runs are merged into reports.
 *
 * <p>A spec is canonical text: the same run always has the same text, and that text (with the plan's settings) is
 * all an executor gets. The driver calls {@link #plan}, {@link #resultFile} and {@link #merge}; executors call
 * {@link #resultFile} and {@link #execute}. Implementations have a public no-argument constructor (executors create
 * them by class name), keep no state between calls, and may be called from several threads at once.
 */
public interface GridJob {

    /**
     * A planned grid.
     *
     * @param specs    the runs, in report order
     * @param settings what every executor needs besides a spec and is not part of any run's identity (e.g. where
     *                 the data is); it may differ between two starts of the same sweep
     * @param summary  one line for the console saying what the grid is, or empty
     */
    record Plan(List<String> specs, Map<String, String> settings, String summary) {
        public Plan {
            specs = List.copyOf(specs);
            settings = Map.copyOf(settings);
        }
    }

    /**
     * The grid the experiment arguments describe. {@code planDir} is a local directory that holds the files an
     * earlier start of the same sweep planned (empty the first time); the files {@code plan} leaves in it (say
     * {@code config.json}) are copied to the output before any run starts, and are there for {@link #merge}.
     * Files whose names start with '.' are not copied.
     *
     * @throws octoquant.experiments.cli.UsageException when the arguments are not a valid experiment command line
     */
    Plan plan(String[] experimentArgs, Path planDir, PrintStream console) throws Exception;

    /**
     * Where {@link #execute} writes this spec's result, relative to the output directory, with '/' separators.
     * The file's existence means the run finished: {@code execute} writes it last and atomically. Different
     * specs have different result files.
     */
    String resultFile(String spec) throws BadSpecException;

    /**
     * Runs one spec with {@code threads} threads in {@code outDir}, resuming from what an interrupted run of the
     * same spec left there, writes its result file and returns the result's text. Idempotent: when the result
     * file exists already it is returned as it is. Every file is written atomically: under a temporary name that
     * starts with '.', then renamed into place (the sweep copies only files whose names do not start with '.').
     *
     * @param settings the plan's {@link Plan#settings}
     * @throws BadSpecException when {@code spec} is not a spec this build can run
     */
    String execute(String spec, Map<String, String> settings, Path outDir, int threads) throws Exception;

    /**
     * Builds the merged reports in {@code outDir} from the result files of all {@code specs}, which exist, and the
     * files {@link #plan} left; a closing summary goes to {@code console}.
     */
    void merge(Path outDir, List<String> specs, PrintStream console) throws Exception;
}
