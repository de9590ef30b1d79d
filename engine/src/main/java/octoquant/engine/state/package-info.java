/**
 * An explicit, JDK-only API for the mutable training state of engine objects, so a checkpoint can save a
 * run and a resumed run continue bit for bit (stochastic rounding included).
 *
 * <p>{@link octoquant.engine.state.Stateful} objects write their state as named, typed entries to a
 * {@link octoquant.engine.state.StateWriter} and read it back from a
 * {@link octoquant.engine.state.StateReader}. Configuration (shapes, bit widths, schemes,
 * hyper-parameters) is not state: it is rebuilt by constructing the object the same way, and restoring into
 * an object built differently fails with a {@link octoquant.engine.state.StateMismatchException} naming the
 * entry. Where the entries go (a checkpoint file, memory) is the caller's business:
 * {@link octoquant.engine.state.MemoryState} keeps them in memory.
 */
package octoquant.engine.state;
