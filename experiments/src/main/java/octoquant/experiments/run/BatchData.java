package octoquant.experiments.run;

import octoquant.engine.tensor.Tensor;

/**
 * One mini-batch as the training loop sees it: the input tensor and either class labels (classification)
 * or target values (regression). The arrays may be buffers reused by the next batch.
 */
public record BatchData(Tensor x, int[] labels, Tensor targets, int size) {}
