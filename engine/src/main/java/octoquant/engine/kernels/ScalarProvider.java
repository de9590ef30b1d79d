package octoquant.engine.kernels;

/** The plain Java loops: always available, the reference for the Vector API forms. */
final class ScalarProvider extends VectorizationProvider {
    private final Kernels kernels = new Kernels();
    private final PoolPasses poolPasses = new PoolPasses();
    private final WinogradTransforms winogradTransforms = new WinogradTransforms();
    private final QuantKernels quantKernels = new QuantKernels();

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
