/**
 * Layers and models: {@link octoquant.engine.nn.Module}, {@link octoquant.engine.nn.Linear},
 * {@link octoquant.engine.nn.Conv2d}, {@link octoquant.engine.nn.MaxPool2d},
 * {@link octoquant.engine.nn.ReLU}, {@link octoquant.engine.nn.Flatten},
 * {@link octoquant.engine.nn.Sequential} and the two reference models in
 * {@link octoquant.engine.nn.Models}. Parameter names are PyTorch's {@code nn.Sequential} state_dict
 * keys ({@code 1.weight}, …) and initialisation is PyTorch's default ({@link octoquant.engine.nn.Init}).
 */
package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
