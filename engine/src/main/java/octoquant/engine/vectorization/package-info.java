/**
 * The Vector API provider: the one class that creates the {@code Vector*} forms of the engine's
 * scalar/vector pairs. Nothing in the engine imports this package; {@link
 * octoquant.engine.kernels.VectorizationProvider} loads its provider by name, only when module
 * {@code jdk.incubator.vector} is readable and the CPU has at least 128-bit SIMD.
 */
package octoquant.engine.vectorization;
