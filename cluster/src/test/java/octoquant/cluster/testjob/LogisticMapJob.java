package octoquant.cluster.testjob;

import octoquant.cluster.grid.BadSpecException;
import octoquant.cluster.grid.GridJob;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A stand-in for the experiments' runs while the sweep machinery is tested: each run iterates the logistic map
 * x ← r·x·(1−x) on a few lanes for some epochs (chaotic, so any change in arithmetic or order shows in the last
 * bit), checkpoints after every epoch, resumes from its checkpoint, and writes a result that is a function of
 * its spec alone — whatever the thread count, however often it was interrupted.
 *
 * <p>Grid arguments: {@code logistic --runs R --epochs E --steps S [--lanes L] [--probe DIR] [--unreadable K]}.
 * {@code --probe DIR}: every attempt of a run leaves a file there saying where it started from, in which process,
 * with how many threads (the tests read it to see retries and resumes). {@code --unreadable K}: spec K is one an
 * executor cannot read (its epoch count is not a number).
 */
public final class LogisticMapJob implements GridJob {
    static final String SET = "logistic";

    @Override
    public Plan plan(String[] args, Path planDir, PrintStream console) throws UsageException {
        return new Plan(specs(args), Map.of(), "");
    }

    /** The grid's specs. */
    public List<String> specs(String[] args) throws UsageException {
        if (args.length == 0 || !args[0].equals(SET)) throw new UsageException("the test grid is: logistic --runs R ...");
        int runs = 4, epochs = 4, lanes = 16, unreadable = 0;
        long steps = 100_000;
        String probe = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new UsageException(args[i] + " needs a value");
            String v = args[i + 1];
            try {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--steps" -> steps = Long.parseLong(v);
                    case "--lanes" -> lanes = Integer.parseInt(v);
                    case "--unreadable" -> unreadable = Integer.parseInt(v);
                    case "--probe" -> probe = v;
                    default -> throw new UsageException("unknown option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new UsageException(args[i] + " " + v + ": not a number");
            }
        }
        List<String> specs = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("set", SET);
            spec.put("run", String.format("r%02d", k));
            spec.put("seed", k);
            spec.put("lanes", lanes);
            spec.put("epochs", k + 1 == unreadable ? "four" : (Object) epochs);
            spec.put("steps", steps);
            if (probe != null) spec.put("probe", probe);
            specs.add(Json.write(spec));
        }
        return specs;
    }

    private record Spec(String set, String run, long seed, int lanes, int epochs, long steps, String probe) {}

    private static Spec read(String text) throws BadSpecException {
        try {
            JsonObject o = new JsonObject(Json.parse(text), "spec");
            Spec s = new Spec(o.string("set"), o.string("run"), o.integer("seed"), (int) o.integer("lanes"),
                    (int) o.integer("epochs"), o.integer("steps"), o.has("probe") ? o.string("probe") : null);
            if (!s.set.equals(SET) || s.lanes < 1 || s.epochs < 1 || s.steps < 1 || !s.run.matches("[a-z0-9]+")) {
                throw new BadSpecException("not a logistic-map spec: " + text.strip().replace('\n', ' '));
            }
            return s;
        } catch (JsonException e) {
            throw new BadSpecException(e.getMessage(), e);
        }
    }

    @Override
    public String resultFile(String spec) throws BadSpecException {
        try {
            JsonObject o = new JsonObject(Json.parse(spec), "spec");
            return o.string("set") + "/runs/" + o.string("run") + ".json";
        } catch (JsonException e) {
            throw new BadSpecException(e.getMessage(), e);
        }
    }

    private static Path checkpoint(Path outDir, Spec s) {
        return outDir.resolve(s.set).resolve("checkpoints").resolve(s.run + ".ckpt");
    }

    @Override
    public String execute(String specText, Map<String, String> settings, Path outDir, int threads) throws Exception {
        return execute(specText, outDir, threads);
    }

    /** Runs a spec (no settings: the stand-in needs none). */
    public String execute(String specText, Path outDir, int threads) throws Exception {
        Spec s = read(specText);
        Path result = outDir.resolve(resultFile(specText));
        if (Files.exists(result)) return Files.readString(result, StandardCharsets.UTF_8);

        double[] x = new double[s.lanes];
        List<String> sums = new ArrayList<>();
        int epoch = 0;
        Path ckpt = checkpoint(outDir, s);
        if (Files.exists(ckpt)) {
            JsonObject c = new JsonObject(Json.parse(Files.readString(ckpt)), "checkpoint");
            epoch = (int) c.integer("epoch");
            List<?> lanes = c.list("lanes");
            for (int i = 0; i < s.lanes; i++) x[i] = Double.longBitsToDouble(Long.parseUnsignedLong((String) lanes.get(i), 16));
            for (Object o : c.list("sums")) sums.add((String) o);
        } else {
            for (int i = 0; i < s.lanes; i++) x[i] = 0.1 + 0.8 * ((s.seed * 7919 + i * 104729) % 1000) / 1000.0;
        }
        probe(s, epoch, threads);

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (; epoch < s.epochs; epoch++) {
                List<Future<?>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int from = s.lanes * t / threads, to = s.lanes * (t + 1) / threads;
                    parts.add(pool.submit(() -> iterate(x, from, to, s.steps)));
                }
                for (Future<?> f : parts) f.get();
                double sum = 0;
                for (double v : x) sum += v;
                sums.add(Long.toHexString(Double.doubleToRawLongBits(sum)));
                saveCheckpoint(ckpt, epoch + 1, x, sums);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", s.run);
        doc.put("seed", s.seed);
        doc.put("epochs", s.epochs);
        doc.put("epochSums", sums);
        doc.put("lanes", hex(x));
        String text = Json.write(doc);
        AtomicFiles.writeString(result, text);
        return text;
    }

    private static void iterate(double[] x, int from, int to, long steps) {
        for (int i = from; i < to; i++) {
            double r = 3.7 + 0.29 * i / x.length, v = x[i];
            for (long k = 0; k < steps; k++) v = r * v * (1 - v);
            x[i] = v;
        }
    }

    private static List<String> hex(double[] x) {
        List<String> h = new ArrayList<>();
        for (double v : x) h.add(Long.toHexString(Double.doubleToRawLongBits(v)));
        return h;
    }

    private static void saveCheckpoint(Path ckpt, int epoch, double[] x, List<String> sums) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("epoch", epoch);
        doc.put("lanes", hex(x));
        doc.put("sums", sums);
        AtomicFiles.writeString(ckpt, Json.write(doc));
    }

    /** One file per attempt: {@code <run>.<uuid>} holding "from=E pid=P threads=T vector=V". */
    private static void probe(Spec s, int from, int threads) throws IOException {
        if (s.probe == null) return;
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        AtomicFiles.writeString(Path.of(s.probe, s.run + "." + UUID.randomUUID()), "from=" + from + " pid="
                + ProcessHandle.current().pid() + " threads=" + threads + " vector=" + vector + "\n");
    }

    @Override
    public void merge(Path outDir, List<String> specs, PrintStream out) throws Exception {
        List<Object> runs = new ArrayList<>();
        for (String spec : specs) runs.add(Json.parse(Files.readString(outDir.resolve(resultFile(spec)))));
        AtomicFiles.writeString(outDir.resolve(SET).resolve("merged.json"), Json.write(Map.of("runs", runs)));
        out.println("merged " + runs.size() + " runs into " + SET + "/merged.json");
    }
}
