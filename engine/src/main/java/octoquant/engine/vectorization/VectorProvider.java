package octoquant.engine.vectorization;

import octoquant.engine.kernels.VectorKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.ops.VectorPoolPasses;
import octoquant.engine.ops.VectorWinogradTransforms;
import octoquant.engine.storage.VectorQuantKernels;

/**
 * The Vector API forms of every scalar/vector pair. Loaded reflectively by {@link VectorizationProvider},
 * and only once module {@code jdk.incubator.vector} is known to be readable; nothing else refers to this
 * class or to the classes it creates, so a JVM without the module never links against the Vector API.
 */
final class VectorProvider extends VectorizationProvider {
    VectorProvider() {
        super(new VectorKernels(), new VectorPoolPasses(), new VectorWinogradTransforms(), new VectorQuantKernels());
    }

    /** Bits of the CPU's preferred vector shape; the Vector API is refused below 128. */
    static int preferredBits() {
        return VectorKernels.preferredBits();
    }
}
