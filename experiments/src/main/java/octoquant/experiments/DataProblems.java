package octoquant.experiments;

/** Recognizes data set failures (missing, corrupt, wrong checksum), which exit with code 3. */
final class DataProblems {
    private DataProblems() {}

    static boolean isDataProblem(Throwable t) {
        return t instanceof DataError || t instanceof octoquant.datasets.DataException;
    }
}
