package octoquant.experiments.audit;

import octoquant.engine.nn.Models;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.Seed;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;
import octoquant.experiments.result.SeedRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The rows of the claims that are checked exactly: model size (7), re-spelling (8), printed numbers (9). */
public final class ExactChecks {
    private ExactChecks() {}

    static List<VerdictRow> rows(Claim c, Evidence ev) {
        return switch (c.check()) {
            case MODEL_SIZE -> modelSize(c, ev);
            case RESPELLING -> respelling(c, ev);
            case PRINTED_NUMBERS -> printedNumbers(c);
            case NONE -> List.of();
        };
    }

    // ------------------------------------------------------------------ claim 7

    static final long SEED_CIFAR_SIZE = 282_250, SEED_MNIST_SIZE = 101_870;

    static List<VerdictRow> modelSize(Claim c, Evidence ev) {
        List<VerdictRow> rows = new ArrayList<>();
        long cnn = Models.seedCnn(new Rng(0), 3, 32, 32).parameterCount();
        rows.add(VerdictRow.exact(c.id(), "parameter count", "CIFAR-10 CNN (built here, no data needed)", "",
                "parameters of the seed's CNN on 3x32x32, for any scheme", cnn == SEED_CIFAR_SIZE,
                String.format(Locale.ROOT, "the seed's CNN on 3x32x32 images has %,d parameters for every scheme (the seed: %,d)",
                        cnn, SEED_CIFAR_SIZE)));
        for (PlannedSet s : ev.sets()) {
            if (s.role() != PlannedSet.Role.MAIN || !s.hasMethod("quant8") || !s.hasMethod("octal8")) continue;
            Map<Integer, SeedRun> q = ev.runs(s.name(), "quant8"), o = ev.runs(s.name(), "octal8");
            Optional<SeedRun> rq = q.values().stream().findFirst(), ro = o.values().stream().filter(r -> q.containsKey(r.seed)).findFirst();
            if (rq.isEmpty() || ro.isEmpty()) continue;
            SeedRun a = q.get(ro.get().seed), b = ro.get();
            String where = new Target(s.experiment(), s.model(), "").shortName() + ", " + s.mode().token();
            String note = s.experiment().equals("mnist") && s.model().equals("mlp")
                    ? String.format(Locale.ROOT, "; the seed's MNIST %,d matches no common network (this MLP has %,d)", SEED_MNIST_SIZE, a.parameterCount)
                    : "";
            rows.add(VerdictRow.exact(c.id(), "parameter count", where, s.name(), "parameters of quant8 and octal8",
                    a.parameterCount == b.parameterCount, String.format(Locale.ROOT, "quant8 %,d, octal8 %,d parameters%s",
                            a.parameterCount, b.parameterCount, note)));
            rows.add(VerdictRow.exact(c.id(), "bytes as stored", where, s.name(), "bytes the weight storages hold",
                    a.weightBytes == b.weightBytes, String.format(Locale.ROOT, "quant8 %,d bytes, octal8 %,d bytes (seed %d); "
                            + "octal digits take 3 bits each plus a sign, 10 bits per 8-bit weight against 9", a.weightBytes,
                            b.weightBytes, b.seed)));
        }
        return rows;
    }

    // ------------------------------------------------------------------ claim 8

    /** Values spanning the grid's range and beyond it (overflow), its half steps and points just off them. */
    static float[] gridProbe() {
        List<Float> v = new ArrayList<>();
        for (int k = -600; k <= 600; k++) {
            double g = k / 255.0;
            v.add((float) g);
            v.add((float) (g + 0.5 / 255));
            v.add(Math.nextUp((float) g));
            v.add(Math.nextDown((float) g));
        }
        Rng rng = new Rng(8);
        for (int i = 0; i < 4000; i++) v.add((float) (rng.nextGaussian() * 0.3));
        float[] out = new float[v.size() + (4 - v.size() % 4) % 4];
        for (int i = 0; i < v.size(); i++) out[i] = v.get(i);
        return out;
    }

    /** Whether int8-fixed-zero and octal8 storages decode every probe value to the same float, bit for bit. */
    static Optional<String> gridDifference() {
        float[] probe = gridProbe();
        WeightStorage a = QuantScheme.parse("int8-fixed-zero").newStorage(4, probe.length / 4, 0);
        WeightStorage b = QuantScheme.parse("octal8").newStorage(4, probe.length / 4, 0);
        a.encodeFrom(probe);
        b.encodeFrom(probe);
        float[] da = a.decodeAll(), db = b.decodeAll();
        for (int i = 0; i < probe.length; i++) {
            if (Float.floatToRawIntBits(da[i]) != Float.floatToRawIntBits(db[i])) {
                return Optional.of("value " + probe[i] + " decodes to " + da[i] + " (int8-fixed-zero) vs " + db[i] + " (octal8)");
            }
        }
        return Optional.empty();
    }

    static List<VerdictRow> respelling(Claim c, Evidence ev) {
        List<VerdictRow> rows = new ArrayList<>();
        Optional<String> grid = gridDifference();
        rows.add(VerdictRow.exact(c.id(), "decoded grid", "", "", "int8-fixed-zero and octal8 storages decode "
                        + gridProbe().length + " values (every grid point in ±600/255, half steps, neighbours, Gaussian) alike",
                grid.isPresent(), grid.map(d -> "the grids differ: " + d).orElse("every value decodes to the same float, bit for bit: "
                        + "octal storage is the 1/255 grid with truncation toward zero")));
        for (PlannedSet s : ev.sets()) {
            if (!s.hasMethod("int8-fixed-zero") || !s.hasMethod("octal8")) continue;
            Map<Integer, SeedRun> z = ev.runs(s.name(), "int8-fixed-zero"), o = ev.runs(s.name(), "octal8");
            List<Integer> seeds = z.keySet().stream().filter(o::containsKey).toList();
            if (seeds.isEmpty()) continue;
            Optional<String> first = Optional.empty();
            for (int seed : seeds) {
                Optional<String> d = ControlCheck.firstDifference(z.get(seed), o.get(seed));
                if (d.isPresent()) {
                    first = Optional.of("seed " + seed + ": " + d.get());
                    break;
                }
            }
            String where = new Target(s.experiment(), s.model(), "").shortName() + ", " + s.mode().token()
                    + (s.role() == PlannedSet.Role.MAIN ? "" : ", " + s.name());
            String measure = "int8-fixed-zero and octal8 runs, every metric, curve and mechanism record";
            if (first.isEmpty()) {
                rows.add(VerdictRow.exact(c.id(), "bit for bit", where, s.name(), measure, false,
                        "identical bit for bit over " + seeds.size() + " seed" + (seeds.size() == 1 ? "" : "s")
                                + " (seeds " + seeds + "): base 8 changes nothing the network computes"));
            } else {
                rows.add(VerdictRow.untestable(c.id(), "bit for bit", null, s.mode().token(), measure,
                        "not testable here (the control differs: " + first.get() + ")",
                        "int8-fixed-zero and octal8 should compute the same numbers but differ at " + first.get()));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ claim 9

    /** The weights the seed printed and what it printed for them. */
    static final double[] SEED_WEIGHTS = {0.03279644, 0.37225065, 0.03883055, 0.32002673, 0.37683514};
    static final int[] SEED_QUANTIZED = {8, 95, 10, 82, 97};
    static final String[] SEED_OCTAL = {"0o10", "0o136", "0o11", "0o121", "0o140"};

    static List<VerdictRow> printedNumbers(Claim c) {
        List<VerdictRow> rows = new ArrayList<>();
        rows.add(printed(c, "quantize_weights(0.75, 8)", "191", Integer.toString(Seed.quantize(0.75, 8))));
        rows.add(printed(c, "float_to_octal(0.75, 8)", "0o277", Seed.octize(0.75, 8)));
        for (int i = 0; i < SEED_WEIGHTS.length; i++) {
            rows.add(printed(c, "quantize_weights(" + SEED_WEIGHTS[i] + ", 8)", Integer.toString(SEED_QUANTIZED[i]),
                    Integer.toString(Seed.quantize(SEED_WEIGHTS[i], 8))));
        }
        for (int i = 0; i < SEED_WEIGHTS.length; i++) {
            rows.add(printed(c, "quantize_to_octal(" + SEED_WEIGHTS[i] + ", 8)", SEED_OCTAL[i], Seed.octize(SEED_WEIGHTS[i], 8)));
        }
        return rows;
    }

    private static VerdictRow printed(Claim c, String call, String printed, String computed) {
        boolean same = printed.equals(computed);
        String detail = call + " = " + computed + (same ? ", as printed" : ", the seed printed " + printed
                + (call.startsWith("quantize_weights") ? String.format(Locale.ROOT, " (w·255 = %.4f)",
                Double.parseDouble(call.substring(call.indexOf('(') + 1, call.indexOf(','))) * 255) : ""));
        return VerdictRow.exact(c.id(), call, "", "", "the seed's printed " + printed, same, detail);
    }
}
