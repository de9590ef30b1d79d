package octoquant.engine.vectorization;

import octoquant.engine.kernels.Kernels;
import octoquant.engine.kernels.PoolPasses;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.ops.VectorPoolPasses;
import octoquant.engine.ops.VectorWinogradTransforms;
import octoquant.engine.storage.VectorQuantKernels;

/**
 * The Vector API forms of every scalar/vector pair. Loaded reflectively by {@link VectorizationProvider},
 * and only once module {@code jdk.incubator.vector} is known to be readable; nothing else refers to this
 * class or to the classes it creates, so a JVM without the module never links against the Vector API.
 */
final class VectorProvider extends VectorizationProvider {
    private final Kernels kernels = new VectorKernels();
    private final PoolPasses poolPasses = new VectorPoolPasses();
    private final WinogradTransforms winogradTransforms = new VectorWinogradTransforms();
    private final QuantKernels quantKernels = new VectorQuantKernels();

    /** Bits of the CPU's preferred vector shape; the Vector API is refused below 128. */
    static int preferredBits() {
        return VectorKernels.preferredBits();
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public PoolPasses poolPasses() {
        return poolPasses;
    }

    @Override
    public WinogradTransforms winogradTransforms() {
        return winogradTransforms;
    }

    @Override
    public QuantKernels quantKernels() {
        return quantKernels;
    }
}
