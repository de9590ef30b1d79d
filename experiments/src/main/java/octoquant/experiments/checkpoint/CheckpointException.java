package octoquant.experiments.checkpoint;

import octoquant.experiments.UserError;

/** A checkpoint that cannot be used: not ours, another version, corrupt, or from another configuration. */
public final class CheckpointException extends UserError {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
