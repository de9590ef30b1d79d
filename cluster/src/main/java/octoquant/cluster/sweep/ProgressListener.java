package octoquant.cluster.sweep;

import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints one line per run as it finishes, and one per attempt Spark lost and retries. Runs are told apart by
 * their partition (one run a partition); outcomes arrive through the named accumulator the tasks add to.
 */
final class ProgressListener extends SparkListener {
    private final List<RunInput> runs;
    private final int total;
    private final int before;
    private final long accumulatorId;
    private final PrintStream out;
    private final AtomicInteger done = new AtomicInteger();

    /**
     * @param runs   the runs of the job, by partition
     * @param total  the runs of the grid
     * @param before the grid's runs that had finished before this sweep started
     */
    ProgressListener(List<RunInput> runs, int total, int before, long accumulatorId, PrintStream out) {
        this.runs = runs;
        this.total = total;
        this.before = before;
        this.accumulatorId = accumulatorId;
        this.out = out;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        int partition = end.taskInfo().index();
        if (partition < 0 || partition >= runs.size()) return;
        String run = runs.get(partition).resultFile();
        String executor = end.taskInfo().executorId();
        if (end.reason() instanceof TaskFailedReason failed) {
            String why = failed.toErrorString().strip().lines().findFirst().orElse("");
            out.println("attempt lost: " + run + " on executor " + executor + " (" + why + ")"
                    + (failed.countTowardsTaskFailures() ? "" : " — not counted as a failure")
                    + "; Spark retries it (up to spark.task.maxFailures attempts), from its last checkpoint");
            out.flush();
            return;
        }
        RunOutcome outcome = outcome(end);
        int n = before + done.incrementAndGet();
        String status = outcome == null || outcome.status() == RunOutcome.Status.OK ? "finished" : "FAILED";
        String detail = outcome == null ? "" : String.format(Locale.ROOT, " (%.1f s, executor %s, %d thread%s)",
                outcome.seconds(), executor, outcome.threads(), outcome.threads() == 1 ? "" : "s");
        out.println("[" + n + "/" + total + "] " + status + ": " + run + detail
                + (outcome != null && outcome.status() != RunOutcome.Status.OK ? ": " + outcome.message() : ""));
        out.flush();
    }

    private RunOutcome outcome(SparkListenerTaskEnd end) {
        for (AccumulableInfo info : CollectionConverters.asJava(end.taskInfo().accumulables())) {
            if (info.id() != accumulatorId || info.update().isEmpty()) continue;
            if (info.update().get() instanceof java.util.List<?> list && !list.isEmpty()
                    && list.get(0) instanceof RunOutcome o) {
                return o;
            }
        }
        return null;
    }
}
