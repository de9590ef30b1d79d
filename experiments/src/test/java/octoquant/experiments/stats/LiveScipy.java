package octoquant.experiments.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A python3 with SciPy running {@code src/test/python/stats_reference.py --serve}: one request line per
 * paired sample, one answer line back (see the script for what each number is). Found once per test JVM,
 * trying {@code /usr/bin/python3} (Debian's, where {@code scripts/test.sh} installs python3-scipy) and then
 * {@code python3} on the PATH.
 */
final class LiveScipy implements AutoCloseable {
    static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");
    static final Path SCRIPT = Path.of("src", "test", "python", "stats_reference.py");

    private static String python;
    private static boolean searched;

    private final Process process;
    private final PrintWriter requests;
    private final BufferedReader answers;
    final String version;

    /** The first candidate that can import scipy, or null when none can. */
    static synchronized String python() {
        if (!searched) {
            searched = true;
            for (String candidate : CANDIDATES) {
                if (importsScipy(candidate)) {
                    python = candidate;
                    break;
                }
            }
        }
        return python;
    }

    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static String missingReason() {
        return "no python3 with SciPy found (tried " + String.join(", ", CANDIDATES)
                + "; scripts/test.sh installs Debian's python3-scipy when run as root)";
    }

    private static boolean importsScipy(String candidate) {
        try {
            Process p = new ProcessBuilder(candidate, "-c", "import scipy.stats").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    LiveScipy(String python) throws IOException {
        process = new ProcessBuilder(python, "-u", SCRIPT.toString(), "--serve")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = answers.readLine();
        if (first == null || !first.startsWith("scipy ")) throw new IOException(SCRIPT + " --serve did not start: " + first);
        version = first.substring(6);
    }

    /** mean, CI low, CI high, ttest_rel p, permutation p, Wilcoxon p, d_z for the pairs (x_i, y_i). */
    double[] values(double[] x, double[] y) throws IOException {
        requests.println(join(x) + " | " + join(y));
        String line = answers.readLine();
        if (line == null) throw new IOException(SCRIPT + " --serve stopped answering");
        return Arrays.stream(line.trim().split(" ")).mapToDouble(v -> v.equals("nan") ? Double.NaN : Double.parseDouble(v)).toArray();
    }

    private static String join(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(" "));
    }

    @Override
    public void close() throws IOException {
        requests.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        answers.close();
    }
}
