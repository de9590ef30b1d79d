/**
 * Layers and models: {@link octoquant.engine.nn.Module}, {@link octoquant.engine.nn.Linear},
 * {@link octoquant.engine.nn.Conv2d}, {@link octoquant.engine.nn.MaxPool2d},
 * {@link octoquant.engine.nn.ReLU}, {@link octoquant.engine.nn.Flatten},
 * {@link octoquant.engine.nn.Sequential} and the two reference models in
 * {@link octoquant.engine.nn.Models}. Parameter names are PyTorch's {@code nn.Sequential} state_dict
 * keys ({@code 1.weight}, …) and initialisation is PyTorch's default ({@link octoquant.engine.nn.Init}).
 * {@link octoquant.engine.nn.Module#stateDict()} and {@link octoquant.engine.nn.Module#loadStateDict} move
 * the weights of any storage in and out as named tensors ({@link octoquant.engine.nn.StateDict}), and
 * {@link octoquant.engine.nn.WeightsFile} saves and loads them as {@code .safetensors} files.
 */
package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
