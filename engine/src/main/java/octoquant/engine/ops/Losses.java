package octoquant.engine.ops;

import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/** Loss functions, each returning a scalar tensor. A non-finite loss is an error, not a number to train on. */
public final class Losses {
    private Losses() {}

    /**
     * Mean over the batch of {@code -log softmax(logits)[label]}, fused and numerically stable: the row
     * maximum is subtracted before exponentiating and the log-sum-exp is accumulated in double.
     * The gradient is {@code (softmax − onehot) / N}.
     *
     * @param logits {@code [N, C]}
     * @param labels N class indices in {@code [0, C)}
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits must be [N, C], got " + logits.shape());
        }
        int n = logits.dim(0), c = logits.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("softmaxCrossEntropy: " + labels.length + " labels for logits "
                    + logits.shape() + " (need one per row)");
        }
        if (n == 0 || c == 0) throw new IllegalArgumentException("softmaxCrossEntropy: empty logits " + logits.shape());
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[i] + " at row " + i
                        + " is out of range [0, " + c + ") for logits " + logits.shape());
            }
        }
        float[] z = logits.data();
        float[] prob = new float[n * c];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, z[row + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp((double) z[row + j] - max);
            double logSum = Math.log(sum);
            for (int j = 0; j < c; j++) prob[row + j] = (float) Math.exp((double) z[row + j] - max - logSum);
            total += logSum + max - z[row + labels[i]];
        }
        double loss = total / n;
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("softmaxCrossEntropy: loss is " + loss + " for logits " + logits.shape()
                    + " (non-finite logits: check the learning rate and the input)");
        }
        int[] lab = labels.clone();
        return Tensor.fromOp("softmaxCrossEntropy", new float[] {(float) loss}, Shape.of(), false, g -> {
            float[] gz = logits.gradBuffer();
            float scale = g[0] / n;
            for (int i = 0; i < n; i++) {
                int row = i * c;
                for (int j = 0; j < c; j++) {
                    float d = prob[row + j] - (j == lab[i] ? 1f : 0f);
                    gz[row + j] += d * scale;
                }
            }
        }, logits);
    }

    /** Mean squared error {@code mean((pred − target)²)} over all elements; shapes must be equal. */
    public static Tensor mse(Tensor pred, Tensor target) {
        if (!pred.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + pred.shape() + " and target " + target.shape() + " differ in shape");
        }
        int n = pred.size();
        if (n == 0) throw new IllegalArgumentException("mse: empty tensors " + pred.shape());
        float[] p = pred.data(), t = target.data();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - t[i];
            sum += d * d;
        }
        double loss = sum / n;
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("mse: loss is " + loss + " for prediction " + pred.shape() + " and target " + target.shape());
        }
        return Tensor.fromOp("mse", new float[] {(float) loss}, Shape.of(), false, g -> {
            float scale = 2f * g[0] / n;
            if (pred.requiresGrad()) {
                float[] gp = pred.gradBuffer();
                for (int i = 0; i < n; i++) gp[i] += (p[i] - t[i]) * scale;
            }
            if (target.requiresGrad()) {
                float[] gt = target.gradBuffer();
                for (int i = 0; i < n; i++) gt[i] -= (p[i] - t[i]) * scale;
            }
        }, pred, target);
    }
}
