package octoquant.experiments.index;

import octoquant.experiments.DataError;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One committed run folder: its results, when it ran and the command that reproduces it.
 *
 * @param folder  the folder's name under the runs directory
 * @param date    "2026-11-29 02:16" from the results directory the run named in its console log, or
 *                "not recorded"
 * @param command the shortest command line that reproduces the run ({@link RunCommand})
 */
record RunEntry(String folder, RunResults results, String date, String command, boolean hasConsoleLog) {

    /** The default output directory a run prints: results/&lt;experiment&gt;-yyyyMMdd-HHmmss. */
    private static final Pattern STAMP = Pattern.compile("results/[a-z0-9-]+?-(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})\\d{2}");

    /** Reads {@code dir/results.json} (required) and {@code dir/console.log} (optional). */
    static RunEntry read(Path dir) {
        Path file = dir.resolve("results.json");
        RunResults r;
        try {
            r = ResultsJson.fromJson(Json.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new DataError("cannot read " + file + ": " + e.getMessage());
        } catch (JsonException e) {
            throw new DataError(file + " is not an octoquant results file (" + e.getMessage() + ")");
        }
        Path log = dir.resolve("console.log");
        String date = "not recorded";
        boolean hasLog = Files.isRegularFile(log);
        if (hasLog) {
            try {
                Matcher m = STAMP.matcher(Files.readString(log));
                if (m.find()) date = m.group(1) + "-" + m.group(2) + "-" + m.group(3) + " " + m.group(4) + ":" + m.group(5);
            } catch (IOException e) {
                throw new DataError("cannot read " + log + ": " + e.getMessage());
            }
        }
        return new RunEntry(dir.getFileName().toString(), r, date, RunCommand.of(r.config), hasLog);
    }
}
