package octoquant.experiments.e2e;

import octoquant.experiments.io.Json;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.stats.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The experiments run end to end as processes, on real data where there is some, with small settings. */
class ExperimentsProcessTest {

    @Test
    void regressionRunsToCompletionWithTheVectorApiAfterRelaunch(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("reg");
        CliProcess.Result r = CliProcess.runPlain("regression", "--epochs", "4", "--seeds", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        RunResults res = CliProcess.results(dir);
        assertEquals("vector", res.environment.get("kernelBackend"), "relaunched with jdk.incubator.vector");
        assertEquals(List.of("float", "quant8", "octal8"), res.methods.stream().map(m -> m.name).toList());
        for (MethodResult m : res.methods) {
            assertEquals(2, m.runs.size());
            for (SeedRun s : m.runs) {
                assertEquals(4, s.epochs.size());
                assertTrue(s.epochs.get(3).trainLoss() < s.epochs.get(0).trainLoss(), "loss falls");
                assertEquals(769, s.parameterCount);
                assertTrue(s.weightBytes > 0 && s.checkpointBytes > s.weightBytes);
                assertTrue(s.imagesPerSecond > 0);
            }
        }
        // The seed's printout: weights as floats, quantized integers and octal strings; predictions vs targets.
        assertTrue(r.out().contains("octal8: seed-octized (8 bits)    ['"), r.out());
        assertTrue(r.out().contains("predictions vs targets"), r.out());
        assertTableMeansMatch(r.out(), res, false);
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"));
        assertEquals(1 + 3 * 2 * 4, Files.readAllLines(dir.resolve("curves.csv")).size());
        Json.parse(Files.readString(dir.resolve("config.json")));
    }


    @Test
    void cifar10OnASmallFileSetInTheCanonicalFormat(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeCifar(data.resolve("cifar-10-batches-bin"), 20, 30);
        Path dir = tmp.resolve("cifar");
        CliProcess.Result r = CliProcess.run(CliProcess.directCommand("cifar10", "--epochs", "1", "--seeds", "1",
                "--methods", "float,quant8", "--data", data.toString(), "--out", dir.toString()),
                Map.of("OCTOQUANT_VERIFY", "structure"));
        assertEquals(0, r.code(), r.out() + r.err());
        RunResults res = CliProcess.results(dir);
        assertEquals(282_250, res.methods.get(0).runs.get(0).parameterCount, "the seed's CNN");
        assertEquals(100, ((Number) res.environment.get("trainExamples")).intValue());
        assertEquals(30, ((Number) res.environment.get("testExamples")).intValue());
        assertTrue(Double.isFinite(res.methods.get(1).runs.get(0).finalTestLoss));
    }

    /** Five training batches of {@code perFile} records and a test batch: label byte, then 3×32×32 planar pixels. */
    static void writeCifar(Path folder, int perFile, int test) throws IOException {
        Files.createDirectories(folder);
        java.util.Random rnd = new java.util.Random(7);
        for (int f = 0; f <= 5; f++) {
            String name = f < 5 ? "data_batch_" + (f + 1) + ".bin" : "test_batch.bin";
            int n = f < 5 ? perFile : test;
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve(name)))) {
                for (int i = 0; i < n; i++) {
                    int label = i % 10;
                    out.writeByte(label);
                    byte[] px = new byte[3072];
                    // A class-dependent brightness so there is something to learn.
                    for (int k = 0; k < px.length; k++) px[k] = (byte) Math.min(255, label * 20 + rnd.nextInt(60));
                    out.write(px);
                }
            }
        }
        Files.writeString(folder.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
    }



    @Test
    void divergenceStopsThatRunAndTheOthersGoOn(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("div");
        CliProcess.Result r = CliProcess.run("regression", "--epochs", "3", "--seeds", "1", "--optimizer", "sgd",
                "--lr", "5", "--methods", "float,int8-pc", "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        RunResults res = CliProcess.results(dir);
        SeedRun f = res.method("float").get().runs.get(0);
        assertEquals("diverged", f.status, "SGD at lr 5 blows the regression up");
        assertTrue(f.divergedAtEpoch >= 1);
        assertTrue(r.out().contains("float seed 0 DIVERGED in epoch"), r.out());
        assertEquals(1, res.method("int8-pc").get().runs.size(), "the next method still ran");
        assertTrue(Files.readString(dir.resolve("report.html")).contains("became NaN or infinite"));
    }

    @Test
    void mergeCombinesSeedsFromSeveralRuns(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), m = tmp.resolve("m");
        assertEquals(0, CliProcess.run("regression", "--epochs", "2", "--seeds", "1", "--seed-offset", "0", "--out",
                a.toString()).code());
        assertEquals(0, CliProcess.run("regression", "--epochs", "2", "--seeds", "2", "--seed-offset", "1", "--out",
                b.toString()).code());
        CliProcess.Result r = CliProcess.run("merge", a.toString(), b.toString(), "--out", m.toString());
        assertEquals(0, r.code(), r.err());
        RunResults merged = CliProcess.results(m);
        for (MethodResult mr : merged.methods) {
            assertEquals(List.of(0, 1, 2), mr.runs.stream().map(s -> s.seed).toList());
        }
        assertTableMeansMatch(r.out(), merged, false);
        CliProcess.Result twice = CliProcess.run("merge", a.toString(), a.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(3, twice.code());
        assertTrue(twice.firstErrorLine().contains("seed 0 appears in more than one run directory"), twice.err());
    }

    /** Per-epoch metrics and final numbers equal, timings aside. */
    static void assertSameNumbers(RunResults a, RunResults b) {
        assertEquals(a.methods.size(), b.methods.size());
        for (int m = 0; m < a.methods.size(); m++) {
            for (int s = 0; s < a.methods.get(m).runs.size(); s++) {
                SeedRun x = a.methods.get(m).runs.get(s), y = b.methods.get(m).runs.get(s);
                assertEquals(x.status, y.status);
                assertEquals(x.epochs.size(), y.epochs.size());
                for (int e = 0; e < x.epochs.size(); e++) {
                    EpochMetrics p = x.epochs.get(e), q = y.epochs.get(e);
                    assertEquals(p.trainLoss(), q.trainLoss(), 0.0, a.methods.get(m).name + " epoch " + (e + 1));
                    assertEquals(p.trainAccuracy(), q.trainAccuracy(), 0.0);
                    assertEquals(p.testLoss(), q.testLoss(), 0.0);
                    assertEquals(p.testAccuracy(), q.testAccuracy(), 0.0);
                }
                assertEquals(x.finalTestLoss, y.finalTestLoss, 0.0);
                assertEquals(x.finalTestAccuracy, y.finalTestAccuracy, 0.0);
                assertEquals(x.weightBytes, y.weightBytes);
            }
        }
    }

    /** The console table's "mean ± CI" equals the mean and interval of the per-seed numbers in results.json. */
    static void assertTableMeansMatch(String stdout, RunResults res, boolean accuracy) {
        for (MethodResult m : res.methods) {
            double[] v = accuracy ? m.perSeed(s -> s.finalAccuracy() * 100) : m.perSeed(SeedRun::finalLoss);
            Summary s = Summary.of(v);
            int decimals = accuracy ? 2 : 4;
            String f = "%." + decimals + "f";
            String expected = s.n() > 1 ? String.format(Locale.ROOT, f + " ± " + f, s.mean(), s.halfWidth())
                    : String.format(Locale.ROOT, f + " (1 seed)", s.mean());
            Matcher row = Pattern.compile("(?m)^\\s+" + Pattern.quote(m.name) + "\\s+\\d.*$").matcher(stdout);
            assertTrue(row.find(), "table row for " + m.name + " in\n" + stdout);
            assertTrue(row.group().contains(expected), expected + " in row: " + row.group());
        }
    }
}
