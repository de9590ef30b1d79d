package octoquant.cluster.sweep;

import octoquant.cluster.grid.GridJob;
import octoquant.cluster.grid.GridJobs;
import octoquant.cluster.store.OutputLocation;
import octoquant.cluster.store.OutputStore;
import octoquant.experiments.io.OutputLock;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The driver of a sweep: plans the grid, records it in the output, leaves out the runs whose result is there
 * already, runs the others on Spark (one partition each), checks that every result arrived, and merges.
 */
public final class Sweep {
    private Sweep() {}

    /**
     * Runs the sweep; progress goes to {@code out}, problems of single runs to {@code err} (one line each).
     *
     * @return the exit code: {@link ExitCode#OK}, or that of the failed runs
     * @throws SweepException for a sweep that cannot go on, with its one-line message and exit code
     */
    public static int run(SweepSettings s, PrintStream out, PrintStream err) throws Exception {
        GridJob job;
        try {
            job = GridJobs.load(s.jobClass());
        } catch (IllegalArgumentException e) {
            throw new SweepException(ExitCode.USAGE, "--job: " + e.getMessage());
        }
        SparkConf conf = SparkSetup.conf(s);
        Map<String, String> hadoop = SparkSetup.hadoopSettings(conf);
        OutputLocation location;
        try {
            location = OutputLocation.parse(s.out());
        } catch (IllegalArgumentException e) {
            throw new SweepException(ExitCode.USAGE, "--out: " + e.getMessage());
        }
        try (AutoCloseable lock = lockOutput(s, location, out)) {
            OutputStore store = openOutput(s, location, hadoop);
            Path planDir = withinConnectTimeout(s, () -> PlanFiles.fetch(store));
            try {
                SweepPlan plan = SweepPlan.make(job, s.jobClass(), s.experimentArgs(), planDir, out);
                return run(s, job, conf, location, hadoop, store, plan, planDir, out, err);
            } finally {
                PlanFiles.deleteTree(planDir);
            }
        }
    }

    /**
     * A plain-path output is held for the whole sweep with the experiments' own folder lock, so neither a second
     * sweep nor an {@code experiments.jar} run writes into it at the same time (a URI output has no such lock).
     */
    private static AutoCloseable lockOutput(SweepSettings s, OutputLocation location, PrintStream notes) {
        if (location.staged()) return () -> { };
        Path folder = Path.of(location.toString());
        try {
            return withinConnectTimeout(s, () -> OutputLock.acquire(folder, notes));
        } catch (SweepException e) {
            if (e.getCause() instanceof OutputLock.FolderInUseException inUse) {
                throw new SweepException(ExitCode.USAGE, "--out " + inUse.getMessage(), inUse);
            }
            throw e;
        }
    }

    private static int run(SweepSettings s, GridJob job, SparkConf conf, OutputLocation location,
                           Map<String, String> hadoop, OutputStore store, SweepPlan plan, Path planDir,
                           PrintStream out, PrintStream err) throws Exception {
        List<RunInput> pending = prepareOutput(s, plan, planDir, store);
        String master = conf.get("spark.master");
        out.println("sweep: " + plan.size() + " runs, " + (plan.size() - pending.size()) + " finished before, "
                + pending.size() + " to run on " + master + " (" + s.runCores() + " core" + (s.runCores() == 1 ? "" : "s")
                + " each); output " + store.describe());
        if (!plan.summary().isEmpty()) out.println("grid: " + plan.summary());
        out.flush();

        if (!pending.isEmpty()) {
            List<RunOutcome> outcomes = distribute(s, conf, location, hadoop, plan, pending, out);
            int code = report(outcomes, pending, s.debug(), err);
            if (code != ExitCode.OK) return code;
        }
        checkResultsArrived(plan, store);
        out.println("merging " + plan.size() + " runs into " + store.describe());
        out.flush();
        Merge.into(store, job, plan, planDir, out);
        store.delete("_sweep/tmp");
        out.println("done: " + plan.size() + " runs in " + store.describe());
        return ExitCode.OK;
    }

    /** Opens the output and checks that it can be written, before anything is planned. */
    private static OutputStore openOutput(SweepSettings s, OutputLocation location, Map<String, String> hadoop) {
        return withinConnectTimeout(s, () -> {
            OutputStore store = location.open(hadoop);
            store.writeString(WRITE_CHECK, "");
            store.delete(WRITE_CHECK);
            return store;
        });
    }

    private static final String WRITE_CHECK = "_sweep/tmp/write-check";

    /**
     * Checks that the output holds no other grid, copies the plan files there and records the grid; returns the
     * runs without a result.
     */
    private static List<RunInput> prepareOutput(SweepSettings s, SweepPlan plan, Path planDir, OutputStore store) {
        return withinConnectTimeout(s, () -> {
            boolean resumed = plan.resumes(store);
            PlanFiles.publish(planDir, store, resumed);
            plan.record(store);
            return plan.pending(store);
        });
    }

    /**
     * The first contact with the output, bounded: a Hadoop client whose name node does not answer retries for
     * many minutes before it gives up.
     */
    private static <T> T withinConnectTimeout(SweepSettings s, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, "octoquant-output-check");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(Math.round(s.connectSeconds() * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new SweepException(ExitCode.OUTPUT, "the output " + s.out() + " did not answer within "
                    + Math.round(s.connectSeconds()) + " s (--connect-timeout)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SweepException se) throw se;
            throw new SweepException(ExitCode.OUTPUT, "cannot write the output " + s.out() + ": " + Failures.brief(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SweepException(ExitCode.FAILED, "interrupted", e);
        }
    }

    private static List<RunOutcome> distribute(SweepSettings s, SparkConf conf, OutputLocation location,
                                               Map<String, String> hadoop, SweepPlan plan, List<RunInput> pending,
                                               PrintStream out) {
        String master = conf.get("spark.master");
        boolean inProcess = SparkSetup.localCores(master) != null;
        if (!inProcess) MasterProbe.check(master, (int) Math.round(s.connectSeconds() * 1000));
        JavaSparkContext sc = SparkSetup.start(conf);
        ExecutorWatchdog watchdog = null;
        try {
            CollectionAccumulator<RunOutcome> finished = sc.sc().collectionAccumulator("octoquant runs");
            sc.sc().addSparkListener(new ProgressListener(pending, plan.size(), plan.size() - pending.size(),
                    finished.id(), out));
            RunTask task = new RunTask(s.jobClass(), plan.settings(), location, hadoop, Math.round(s.syncSeconds() * 1000),
                    finished);
            JavaFutureAction<List<RunOutcome>> job = sc.parallelize(pending, pending.size()).map(task).collectAsync();
            if (!inProcess) watchdog = new ExecutorWatchdog(sc.sc(), Math.round(s.executorSeconds() * 1000));
            try {
                return new ArrayList<>(job.get());
            } catch (ExecutionException e) {
                if (watchdog != null && watchdog.gaveUp()) {
                    throw new SweepException(ExitCode.MASTER, watchdog.hadExecutors()
                            ? "every executor of " + master + " was lost and none came back within "
                                    + Math.round(s.executorSeconds()) + " s (--executor-timeout); restart the sweep "
                                    + "with the same command when the cluster is back: it resumes"
                            : "no executor registered with " + master + " within " + Math.round(s.executorSeconds())
                                    + " s (--executor-timeout): do its workers have " + s.runCores()
                                    + " free core(s) and the memory spark.executor.memory asks for?", e);
                }
                if (sc.sc().isStopped()) {
                    throw new SweepException(ExitCode.MASTER, "Spark stopped the sweep (lost the master " + master
                            + "?): " + Failures.message(e.getCause()), e);
                }
                throw new SweepException(ExitCode.FAILED, "Spark gave up on the sweep: " + Failures.message(e.getCause()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SweepException(ExitCode.FAILED, "interrupted", e);
            }
        } finally {
            if (watchdog != null) watchdog.close();
            sc.stop(); // also delivers the listener's last lines before the summary
        }
    }

    /** One line per failed run on {@code err}; the exit code of the most serious failure. */
    private static int report(List<RunOutcome> outcomes, List<RunInput> pending, boolean debug, PrintStream err) {
        outcomes.sort(Comparator.comparingInt(RunOutcome::index));
        int code = ExitCode.OK;
        for (RunOutcome o : outcomes) {
            if (o.status() == RunOutcome.Status.OK) continue;
            String run = pending.stream().filter(r -> r.index() == o.index()).findFirst().map(RunInput::resultFile).orElse("?");
            String what = switch (o.status()) {
                case BAD_SPEC -> "the executors cannot read its spec: ";
                case DATA -> "data error: ";
                default -> "failed: ";
            };
            err.println("error: run " + (o.index() + 1) + " (" + run + ") " + what + o.message());
            if (debug && !o.detail().isEmpty()) err.print(o.detail());
            code = worse(code, o.status().exitCode);
        }
        return code;
    }

    private static int worse(int a, int b) {
        List<Integer> order = List.of(ExitCode.OK, ExitCode.FAILED, ExitCode.DATA, ExitCode.BAD_SPEC);
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }

    private static void checkResultsArrived(SweepPlan plan, OutputStore store) {
        try {
            List<RunInput> missing = plan.pending(store);
            if (!missing.isEmpty()) {
                throw new SweepException(ExitCode.OUTPUT, missing.size() + " run(s) finished but their result is not in "
                        + store.describe() + " as the driver sees it (first: " + missing.get(0).resultFile()
                        + "); on several machines --out must be a shared mount or a Hadoop file system URI");
            }
        } catch (IOException e) {
            throw new SweepException(ExitCode.OUTPUT, "cannot read the output " + store.describe() + ": "
                    + Failures.brief(e), e);
        }
    }
}
