package octoquant.cluster.sweep;

import java.util.List;
import java.util.Map;

/**
 * A sweep's command line, parsed.
 *
 * @param master            Spark master URL; null: the one spark-submit set, else {@code local[<all cores>]}
 * @param out               output directory: a path, or a Hadoop file system URI
 * @param runCores          cores (and threads) each run gets: Spark's {@code spark.task.cpus}
 * @param sparkConf         further Spark settings ({@code --conf key=value}), in order
 * @param jobClass          the {@link octoquant.cluster.grid.GridJob} that plans, runs and merges
 * @param connectSeconds    how long to wait for a {@code spark://} master, and for the output, to answer
 * @param executorSeconds   how long to go on without any executor before giving up
 * @param syncSeconds       how often a staged run copies its changed files to the output
 * @param debug             stack traces with errors
 * @param experimentArgs    the experiment command line whose grid is swept
 */
public record SweepSettings(String master, String out, int runCores, Map<String, String> sparkConf, String jobClass,
                            double connectSeconds, double executorSeconds, double syncSeconds, boolean debug,
                            List<String> experimentArgs) {
    public SweepSettings {
        sparkConf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sparkConf));
        experimentArgs = List.copyOf(experimentArgs);
    }
}
