package octoquant.engine.nn;

import octoquant.engine.util.Rng;

/** The project's two reference models, built from the layers with PyTorch's initialisation. */
public final class Models {
    private Models() {}

    /**
     * {@code Sequential(Flatten, Linear(784, 128), ReLU, Linear(128, 10))}: 101,770 parameters. (The seed's
     * "101,870" matches no common net; this is the nearest standard MLP, see DESIGN.md.)
     */
    public static Sequential mlp(Rng rng) {
        return new Sequential(new Flatten(), new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
    }

    /**
     * The seed's CNN: conv3x3(c→32, pad 1) ReLU maxpool2 → conv3x3(32→64, pad 1) ReLU maxpool2 → flatten →
     * linear(→64) ReLU → linear(64→10). For 3×32×32 input it has 282,250 parameters; the flatten size
     * follows the input (3,136 for 1×28×28).
     */
    public static Sequential seedCnn(Rng rng, int inChannels, int height, int width) {
        if (height < 4 || width < 4) {
            throw new IllegalArgumentException("seedCnn: input " + inChannels + "x" + height + "x" + width
                    + " is too small for two 2x2 poolings (need at least 4x4)");
        }
        Conv2d c1 = Conv2d.builder().in(inChannels).out(32).kernel(3).padding(1).init(rng).build();
        MaxPool2d p1 = new MaxPool2d(2);
        Conv2d c2 = Conv2d.builder().in(32).out(64).kernel(3).padding(1).init(rng).build();
        MaxPool2d p2 = new MaxPool2d(2);
        int h = p2.outputSize(c2.outputSize(p1.outputSize(c1.outputSize(height))));
        int w = p2.outputSize(c2.outputSize(p1.outputSize(c1.outputSize(width))));
        return new Sequential(c1, new ReLU(), p1, c2, new ReLU(), p2, new Flatten(),
                new Linear(64 * h * w, 64, rng), new ReLU(), new Linear(64, 10, rng));
    }
}
