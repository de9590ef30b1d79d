package octoquant.engine.kernels;

/** The plain Java loops: always available, the reference for the Vector API forms. */
final class ScalarProvider extends VectorizationProvider {
    ScalarProvider() {
        super(new Kernels(), new PoolPasses(), new WinogradTransforms(), new QuantKernels());
    }
}
