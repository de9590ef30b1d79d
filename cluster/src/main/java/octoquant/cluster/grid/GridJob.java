package octoquant.cluster.grid;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What a sweep distributes: the grid of independent runs an experiment command line describes, how one run is
 * executed, and how the finished runs are merged into reports.
 *
 * <p>A spec is canonical text: the same run always has the same text, and that text is all an executor gets. The
 * driver calls {@link #plan}, {@link #resultFile} and {@link #merge}; executors call {@link #resultFile} and
 * {@link #execute}. Implementations have a public no-argument constructor (executors create them by class name),
 * keep no state between calls, and may be called from several threads at once.
 */
public interface GridJob {

    /**
     * The specs of the grid the experiment arguments describe, in report order.
     *
     * @throws octoquant.experiments.cli.UsageException when the arguments are not a valid experiment command line
     */
    List<String> plan(String[] experimentArgs) throws Exception;

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
     * @throws BadSpecException when {@code spec} is not a spec this build can run
     */
    String execute(String spec, Path outDir, int threads) throws Exception;

    /** Builds the merged reports in {@code outDir} from the result files of all {@code specs}, which exist. */
    void merge(Path outDir, List<String> specs, PrintStream out) throws Exception;
}
