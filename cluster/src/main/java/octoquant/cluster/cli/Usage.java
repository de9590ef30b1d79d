package octoquant.cluster.cli;

/** The usage text of {@code octoquant-cluster.jar}. */
public final class Usage {
    private Usage() {}

    public static String text() {
        return """
                usage: java -jar octoquant-cluster.jar sweep --out PATH|URI [options] -- EXPERIMENT [experiment options]

                Runs every run of an experiment's grid (methods x seeds x ...) on Apache Spark, one Spark task per
                run, and merges them into the experiment's usual reports in the output. Restarted with the same
                command and output, it runs only the runs that have no result there yet; an interrupted run resumes
                from its checkpoint.

                experiments: regression, mnist, fashion-mnist, cifar10, gradients and audit, with the options
                experiments.jar takes (not --out, --resume or --threads: the sweep's own). --data reaches every
                executor as it is given (made absolute); without it each executor looks where experiments.jar does.
                  e.g. sweep --out runs/mnist -- mnist --seeds 5 --data /shared/datasets

                options:
                  --out PATH|URI          output directory (required): a path (every executor writes there, so on
                                          several machines a shared mount), or a Hadoop file system URI such as
                                          hdfs://namenode:8020/runs or file:///data/runs (executors copy to it)
                  --master URL            local[N] (in this JVM, N cores; the default: all cores), spark://host:port,
                                          yarn, k8s://https://host:port; under spark-submit, its --master
                  --run-cores C           cores, and threads, each run gets (spark.task.cpus; default 1)
                  --conf KEY=VALUE        a Spark setting, e.g. spark.executor.memory=2g (repeatable)
                  --connect-timeout S     give up on a spark:// master or an output file system that does not
                                          answer within S seconds (default 30)
                  --executor-timeout S    give up when there has been no executor for S seconds (default 180)
                  --sync-interval S       with a URI output, how often a run copies its new checkpoints there
                                          (default 30)
                  --job CLASS             the grid job (default octoquant.cluster.experiments.GridTasks: the
                                          experiments' grids)
                  --debug                 stack traces with errors
                  --help                  this text

                exit codes: 0 ok, 1 a run failed, 2 bad command line (or an output in use or holding something
                else), 3 data problem, 4 Spark master unreachable or no executor, 5 output path unusable, 6 a grid
                spec the executors cannot read
                """;
    }
}
