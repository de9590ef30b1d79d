package octoquant.cluster.sweep;

import octoquant.cluster.grid.GridJob;
import octoquant.cluster.grid.GridJobs;
import octoquant.cluster.store.OutputLocation;
import octoquant.cluster.store.OutputStore;
import octoquant.cluster.store.StagedRun;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.CollectionAccumulator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one spec on an executor, with as many threads as the task has cores. For a plain-path output the run works
 * in the output itself; for a Hadoop file system it works in a {@link StagedRun} under the executor's Spark work
 * directory. The outcome goes back to the driver both as the task's value and through an accumulator, so the
 * driver can report each run the moment it finishes.
 */
final class RunTask implements Function<RunInput, RunOutcome> {
    private static final long serialVersionUID = 1L;

    private final String jobClass;
    private final LinkedHashMap<String, String> settings;
    private final OutputLocation out;
    private final LinkedHashMap<String, String> hadoopSettings;
    private final long syncMillis;
    private final CollectionAccumulator<RunOutcome> finished;

    RunTask(String jobClass, Map<String, String> settings, OutputLocation out, Map<String, String> hadoopSettings,
            long syncMillis, CollectionAccumulator<RunOutcome> finished) {
        this.jobClass = jobClass;
        this.settings = new LinkedHashMap<>(settings);
        this.out = out;
        this.hadoopSettings = new LinkedHashMap<>(hadoopSettings);
        this.syncMillis = syncMillis;
        this.finished = finished;
    }

    @Override
    public RunOutcome call(RunInput in) throws Exception {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
        long start = System.nanoTime();
        RunOutcome outcome;
        if (out.staged()) {
            OutputStore store = out.open(hadoopSettings);
            Path work = Path.of(SparkFiles.getRootDirectory(), "octoquant-runs");
            try (StagedRun run = StagedRun.open(store, in.resultFile(), work, syncMillis)) {
                outcome = execute(in, run.dir(), threads, executor, start);
                run.finish(); // a failed copy fails the task: Spark retries it, resuming from what was copied
            }
        } else {
            outcome = execute(in, Path.of(out.toString()), threads, executor, start);
        }
        finished.add(outcome);
        return outcome;
    }

    private RunOutcome execute(RunInput in, Path dir, int threads, String executor, long start) {
        try {
            GridJob job = GridJobs.load(jobClass);
            job.execute(in.spec(), settings, dir, threads);
            return new RunOutcome(in.index(), RunOutcome.Status.OK, "", "", seconds(start), executor, threads);
        } catch (Exception | LinkageError | AssertionError e) {
            return new RunOutcome(in.index(), Failures.status(e), Failures.message(e), Failures.stackTrace(e),
                    seconds(start), executor, threads);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
