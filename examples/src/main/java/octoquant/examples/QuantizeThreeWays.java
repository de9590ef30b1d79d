package octoquant.examples;

import octoquant.datasets.Batch;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Train the seed's MLP in fp32 once, then quantize the trained weights three ways after training (post-training
 * quantization) and compare what each costs in bytes and in accuracy: the seed's quantization (quant8: 1/255
 * grid, round to nearest), the seed's octization (octal8: the same grid, truncated, written in octal digits) and
 * int8 per output channel (a scale per row, what a practitioner would use).
 */
public final class QuantizeThreeWays {
    public static void main(String[] args) {
        Mnist mnist = new Mnist(Mnist.intArg(args, "--limit-train", 0), Mnist.intArg(args, "--limit-test", 0));
        Sequential model = Models.mlp(new Rng(11));
        Adam adam = new Adam(model.parameters(), 1e-3);
        for (Batch b : mnist.training(64, 11).epoch(0)) {
            adam.zeroGrad();
            Losses.softmaxCrossEntropy(model.forward(Mnist.images(b)), b.y).backward();
            adam.step();
        }
        List<WeightStorage> trained = new ArrayList<>();
        for (Parameter p : model.parameters()) trained.add(p.storage());
        System.out.printf("%-8s %12s %10s%n", "scheme", "weight bytes", "accuracy");
        for (String name : List.of("float", "quant8", "octal8", "int8-pc")) {
            QuantScheme scheme = QuantScheme.parse(name);
            Quantization.ptq(model.parameters(), scheme); // weights only; biases stay fp32
            System.out.printf("%-8s %,12d %9.2f%%%n", name, Quantization.weightBytes(model.parameters()),
                    100 * mnist.accuracy(model));
            for (int i = 0; i < trained.size(); i++) model.parameters().get(i).setStorage(trained.get(i)); // back to fp32
        }
    }
}
