package octoquant.engine.nn;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The geometry getters of Conv2d and MaxPool2d report what the layers were built with. */
class LayerGeometryGettersTest {
    @Test
    void conv2dReportsItsGeometry() {
        Conv2d conv = Conv2d.builder().in(3).out(7).kernel(5).stride(2).padding(1).init(new Rng(1)).build();
        assertEquals(3, conv.inChannels());
        assertEquals(7, conv.outChannels());
        assertEquals(5, conv.kernelSize());
        assertEquals(2, conv.stride());
        assertEquals(1, conv.padding());
        assertEquals((32 + 2 * 1 - 5) / 2 + 1, conv.outputSize(32));
    }

    @Test
    void maxPool2dReportsItsGeometry() {
        MaxPool2d pool = MaxPool2d.withStride(3, 2);
        assertEquals(3, pool.kernel());
        assertEquals(2, pool.stride());
        MaxPool2d square = new MaxPool2d(2);
        assertEquals(2, square.kernel());
        assertEquals(2, square.stride(), "the stride defaults to the window");
    }
}
