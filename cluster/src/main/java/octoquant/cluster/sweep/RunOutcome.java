package octoquant.cluster.sweep;

import java.io.Serializable;

/**
 * What an executor reports for one run. A run that fails for a reason a retry cannot fix (a spec it cannot read,
 * missing data, a bug) reports it here instead of failing its Spark task, so Spark does not retry it and its
 * log stays free of stack traces; Spark retries only what went wrong around the run (a lost executor, a copy
 * to the output that failed).
 *
 * @param detail    the failure's stack trace (shown with --debug), or empty
 * @param executor  Spark's executor id
 * @param threads   the threads the run was given
 */
public record RunOutcome(int index, Status status, String message, String detail, double seconds, String executor,
                         int threads) implements Serializable {

    public enum Status {
        OK(ExitCode.OK), BAD_SPEC(ExitCode.BAD_SPEC), DATA(ExitCode.DATA), FAILED(ExitCode.FAILED);

        final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }
    }
}
