package octoquant.engine.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What a cut graph hands on to the next step, and what it must keep. Lengths are unique to each test. */
class StepBuffersTest {
    /** {@code mid = copy(x)} with mid's data from {@code data}, and a loss whose gradient on mid is all 1. */
    private static Tensor[] graph(Tensor x, float[] data) {
        System.arraycopy(x.data(), 0, data, 0, data.length);
        Tensor mid = Tensor.fromOp("copy", data, x.shape(), false, g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) gx[i] += g[i];
        }, x);
        Tensor loss = Tensor.fromOp("sum", new float[] {0f}, Shape.of(), false, g -> {
            float[] gm = mid.gradBuffer();
            java.util.Arrays.fill(gm, g[0]);
        }, mid);
        return new Tensor[] {mid, loss};
    }

    @Test
    void anIntermediateGradientBufferComesBackZeroedForTheNextStep() {
        int n = 12_345;
        Tensor x = Tensor.full(2f, n).requireGrad();
        Tensor[] first = graph(x, new float[n]);
        float[] firstGrad = first[0].gradBuffer();
        first[1].backward();
        assertEquals(1f, firstGrad[n - 1], "the loss's backward filled it");
        assertNull(first[0].grad(), "the cut drops an intermediate's gradient");
        assertEquals(1f, x.grad()[n - 1], "a leaf keeps its gradient");
        Tensor[] second = graph(x, new float[n]);
        float[] reused = second[0].gradBuffer();
        assertSame(firstGrad, reused);
        for (float v : reused) assertEquals(0f, v);
        Tensor fresh = Tensor.zeros(n);
        assertNotSame(reused, fresh.gradBuffer(), "one buffer goes to one taker");
    }

    @Test
    void onlyAReleasedOwnedResultServesALaterResult() {
        int n = 12_347;
        Tensor x = Tensor.full(1f, n).requireGrad();
        Tensor[] kept = graph(x, Tensor.resultBuffer(n));
        kept[0].ownData();
        float[] keptData = kept[0].data();
        kept[1].backward();
        for (int i = 0; i < 4; i++) assertNotSame(keptData, Tensor.resultBuffer(n), "not released: never reused");
        assertEquals(1f, keptData[n - 1]);

        int m = 12_349;
        Tensor y = Tensor.full(1f, m).requireGrad();
        Tensor[] released = graph(y, Tensor.resultBuffer(m));
        released[0].ownData().releaseDataAtCut();
        float[] releasedData = released[0].data();
        released[1].backward();
        // Two arrays of length m came back: mid's gradient and its data; both serve later results.
        float[] a = Tensor.resultBuffer(m), b = Tensor.resultBuffer(m);
        assertTrue(a == releasedData || b == releasedData);
        assertNotSame(a, b);
    }
}
