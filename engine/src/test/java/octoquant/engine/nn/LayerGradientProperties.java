package octoquant.engine.nn;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.gradcheck.GradCheck;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers and small stacks of layers against double-precision central differences. */
class LayerGradientProperties {

    /** Every layer and stack here is piecewise linear; a step of 3e-3 keeps most kinks out of reach. */
    private static final GradCheck CHECK = GradCheck.piecewiseLinear(3e-3);

    private static void check(Module m, Tensor x, Rng rng) {
        GradCheck.Result r = CHECK.check(() -> m.forward(x), List.of(x), m.parameters(), rng);
        assertTrue(r.ok(), m + ": " + r);
        // A conv weight moves many ReLU and max-pool inputs at once, so a fair share of its coordinates
        // sit near some kink. Which coordinates are skipped depends on the forward pass only, so a case
        // with too many of them says nothing about backward: it is discarded as a generated case (jqwik
        // fails the property if it discards too many), instead of failing at random on an unlucky seed
        // (one hidden unit of a 3→1→3 stack within a step of its kink skips half the coordinates).
        Assume.that(r.skipped() <= Math.max(3, (r.checked() + r.skipped()) / 4));
    }

    @Property(tries = 30)
    void linear(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 9) int in,
                @ForAll @IntRange(min = 1, max = 7) int out, @ForAll long seed) {
        Rng rng = new Rng(seed);
        check(new Linear(in, out, rng), Tensor.randn(rng, n, in), rng);
    }

    @Property(tries = 25)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int ci,
                @ForAll @IntRange(min = 1, max = 4) int co, @ForAll @IntRange(min = 1, max = 3) int k,
                @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int pad,
                @ForAll @IntRange(min = 0, max = 3) int extra, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int size = k + extra;
        check(Conv2d.builder().in(ci).out(co).kernel(k).stride(stride).padding(pad).init(rng).build(), Tensor.randn(rng, n, ci, size, size + 1), rng);
    }

    @Property(tries = 20)
    void smallCnnStack(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int ci,
                       @ForAll @IntRange(min = 4, max = 7) int h, @ForAll @IntRange(min = 4, max = 6) int w,
                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        Conv2d conv = Conv2d.builder().in(ci).out(3).kernel(3).stride(1).padding(1).init(rng).build();
        MaxPool2d pool = new MaxPool2d(2);
        int flat = 3 * pool.outputSize(h) * pool.outputSize(w);
        Sequential net = new Sequential(conv, new ReLU(), pool, new Flatten(), new Linear(flat, 5, rng), new ReLU(),
                new Linear(5, 3, rng));
        check(net, Tensor.randn(rng, n, ci, h, w), rng);
    }

    @Property(tries = 20)
    void mlpShapedStack(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 11) int in,
                        @ForAll @IntRange(min = 1, max = 6) int hidden, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential net = new Sequential(new Flatten(), new Linear(in, hidden, rng), new ReLU(), new Linear(hidden, 3, rng));
        check(net, Tensor.randn(rng, n, 1, in), rng);
    }
}
