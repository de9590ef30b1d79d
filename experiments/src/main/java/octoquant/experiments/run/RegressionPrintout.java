package octoquant.experiments.run;

import octoquant.datasets.Regression;
import octoquant.engine.autograd.Grad;
import octoquant.engine.nn.Sequential;
import octoquant.engine.storage.Seed;
import octoquant.engine.tensor.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the seed prints for its regression: the first weights of the first layer as floats, as the seed's
 * quantized integers and as its octal strings, and the first predictions next to their targets.
 */
public final class RegressionPrintout {
    private RegressionPrintout() {}

    static final int SHOWN = 5;

    public static void print(PrintStream out, String method, Sequential model, RegressionTask task) {
        float[] w = model.parameters().get(0).storage().decodeAll();
        List<String> floats = new ArrayList<>(), ints = new ArrayList<>(), octs = new ArrayList<>();
        for (int i = 0; i < SHOWN; i++) {
            floats.add(String.format(Locale.ROOT, "%.8f", w[i]));
            ints.add(String.valueOf(Seed.quantize(w[i], 8)));
            octs.add("'" + Seed.octize(w[i], 8) + "'");
        }
        out.println("  " + method + ": first-layer weights " + floats);
        out.println("  " + method + ": seed-quantized (8 bits)  " + ints);
        out.println("  " + method + ": seed-octized (8 bits)    " + octs);
        Regression.Data test = task.split().test();
        int f = test.features();
        float[] x = new float[SHOWN * f];
        System.arraycopy(test.x(), 0, x, 0, x.length);
        model.eval();
        try (Grad.Scope off = Grad.disabled()) {
            float[] p = model.forward(Tensor.of(x, SHOWN, f)).data();
            StringBuilder sb = new StringBuilder("  " + method + ": predictions vs targets ");
            for (int i = 0; i < SHOWN; i++) {
                sb.append(String.format(Locale.ROOT, "%s%.4f/%.4f", i == 0 ? "" : ", ", p[i], test.y()[i]));
            }
            out.println(sb);
        } finally {
            model.train(true);
        }
    }
}
