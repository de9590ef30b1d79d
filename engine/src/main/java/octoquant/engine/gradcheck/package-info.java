/**
 * Gradient checking: {@link octoquant.engine.gradcheck.GradCheck} compares the engine's analytic gradients
 * with central finite differences computed in double precision, aware of the kinks of piecewise-linear nets
 * (ReLU, max-pool).
 */
package octoquant.engine.gradcheck;
