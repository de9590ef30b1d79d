package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Named construction, initialisation apart from construction, and the fusion switch. */
class ConstructionTest {

    @Test
    void initialisingLaterEqualsInitialisingAtConstruction() {
        Sequential built = Models.seedCnn(new Rng(42), 1, 28, 28);
        Sequential later = new Sequential(
                Conv2d.builder().in(1).out(32).kernel(3).padding(1).build(), new ReLU(), new MaxPool2d(2),
                Conv2d.builder().in(32).out(64).kernel(3).padding(1).build(), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, 64), new ReLU(), new Linear(64, 10));
        for (Parameter p : later.parameters()) {
            for (float v : p.storage().decodeAll()) assertEquals(0f, v, "uninitialised weights are zero");
        }
        Init.pytorchDefault(later, new Rng(42));
        List<Parameter> a = built.parameters(), b = later.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertArrayEquals(a.get(i).shape(), b.get(i).shape());
            assertArrayEquals(a.get(i).storage().decodeAll(), b.get(i).storage().decodeAll(), a.get(i).name());
        }
    }

    @Test
    void builderNamesEverySizeAndRefusesMissingOnes() {
        Conv2d c = Conv2d.builder().in(3).out(7).kernel(5).stride(2).padding(1).bias(false).build();
        assertEquals(3, c.inChannels());
        assertEquals(7, c.outChannels());
        assertEquals(5, c.kernelSize());
        assertEquals(2, c.stride());
        assertEquals(1, c.padding());
        assertNull(c.bias());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.builder().in(3).kernel(3).build());
        assertEquals("Conv2d: set out (builder().in(CI).out(CO).kernel(K))", e.getMessage());
        MaxPool2d p = MaxPool2d.withStride(3, 2);
        assertEquals(3, p.kernel());
        assertEquals(2, p.stride());
    }

    @Test
    void fusionSwitchGivesTheSameValuesAndNamesTheFusedRuns() {
        Sequential m = Models.seedCnn(new Rng(3), 1, 12, 12);
        assertEquals(List.of(0, 3), m.fusedRuns());
        Tensor x = Tensor.randn(new Rng(9), 2, 1, 12, 12);
        float[] fused = m.forward(x).data().clone();
        assertTrue(m.fusion());
        float[] plain = m.setFusion(false).forward(x).data();
        assertFalse(m.fusion());
        assertArrayEquals(fused, plain);
        Sequential noPool = new Sequential(Conv2d.builder().in(1).out(2).kernel(3).build(), new ReLU(), MaxPool2d.withStride(3, 1));
        assertEquals(List.of(), noPool.fusedRuns());
    }
}
