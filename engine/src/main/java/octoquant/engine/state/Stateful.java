package octoquant.engine.state;

/**
 * An object with mutable training state that it can save and restore explicitly — weight storages, QAT
 * modes, optimizers, random generators.
 *
 * <p>The contract: after {@code b.restoreState(reader of a.saveState(...))}, where {@code b} was built
 * exactly as {@code a} was (same constructor arguments), {@code b} behaves bit for bit as {@code a} did at
 * the moment it was saved, whatever either did before. Saving does not change what the object computes
 * afterwards. Each class writes only its own fields, under names it chooses, and delegates nested objects
 * to their own {@code saveState} under a prefix ({@link StateWriter#under}).
 *
 * <p>Objects that watch each other are saved and restored together: a QAT mode remembers the version of
 * the master storage it last encoded, so restoring one without the other can leave a stale shadow.
 */
public interface Stateful {
    /** Writes every piece of mutable state, plus the configuration entries restore checks against. */
    void saveState(StateWriter out);

    /**
     * Overwrites this object's mutable state with the saved one.
     *
     * @throws StateMismatchException when this object was built differently (another shape, bit width,
     *                                scheme, kind) or an entry is missing or has the wrong size; the message
     *                                names the entry. The object may then be partly restored: build it again.
     */
    void restoreState(StateReader in);
}
