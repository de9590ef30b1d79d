#!/usr/bin/python3
"""The PyTorch side of octoquant's interop tests (engine/src/test/java/octoquant/engine/nn/TorchInteropTest).

Run by the Java test with Debian's Python, NumPy and PyTorch (apt-get install python3-numpy python3-torch);
files are read and written with NumPy alone (safetensors_numpy.py), no safetensors package.

    torch_interop.py torch-model --seed S --inputs IN --weights W --logits L
        builds the MNIST MLP in PyTorch (Flatten, Linear(784,128), ReLU, Linear(128,10)) initialised from
        torch.manual_seed(S), writes its state dict to W and its logits on the inputs in IN to L
    torch_interop.py predict --weights W --inputs IN --out OUT
        reads weights octoquant wrote (fp32, or quantized: dequantized here from codes, scales and zero
        points as octoquant's StateDict documents), loads them into the same PyTorch MLP with
        strict=True and writes its logits (F32) and predicted labels (I64) on the inputs to OUT
    torch_interop.py dequantize --weights W --out OUT
        NumPy only: writes the float32 weights dequantized from octoquant's state dict in W to OUT
    torch_interop.py dtypes --out OUT
        writes every F16 and BF16 bit pattern with the float32 values NumPy and PyTorch give them, and the
        extremes of each integer type, for octoquant's reader to be checked against

Inputs are the MNIST test images as octoquant normalises them ((x/255 - 0.1307) / 0.3081 in float32),
written by the Java test as an F32 tensor "images" of shape [N, 1, 28, 28]: both sides compute on the
same bits.
"""

import argparse
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_numpy as st  # noqa: E402

SCHEME_PREFIX = "octoquant.scheme."


def build_mlp():
    import torch.nn as nn
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def dequantize(tensors, metadata):
    """octoquant's state dict to float32 weights: fixed grid code / (2^B - 1) (in float64), maxabs
    code * scale, minmax (code - zero_point) * scale, a per-channel scale broadcast over all but the
    first dimension."""
    weights = {}
    quantized = {k[len(SCHEME_PREFIX):]: v for k, v in metadata.items() if k.startswith(SCHEME_PREFIX)}
    companions = {name + suffix for name in quantized for suffix in (".scale", ".zero_point")}
    for name, values in tensors.items():
        if name in companions:
            continue
        scheme = quantized.get(name, "float")
        if scheme == "float":
            if values.dtype != np.float32:
                raise ValueError(f"{name}: fp32 entry of dtype {values.dtype}")
            weights[name] = values
            continue
        bits = int(re.match(r"(?:quant|octal|int)(\d+)", scheme).group(1))
        if scheme.startswith(("quant", "octal")) or "-fixed" in scheme:
            weights[name] = (values.astype(np.float64) / (2 ** bits - 1)).astype(np.float32)
            continue
        scale = tensors[name + ".scale"].astype(np.float32)
        zero = tensors.get(name + ".zero_point", np.zeros(scale.shape, dtype=np.int64)).astype(np.int64)
        if scale.ndim == 1:
            scale = scale.reshape((-1,) + (1,) * (values.ndim - 1))
            zero = zero.reshape((-1,) + (1,) * (values.ndim - 1))
        weights[name] = (values.astype(np.int64) - zero).astype(np.float32) * scale
    return weights, sorted(set(quantized.values()))


def logits_of(model, inputs):
    import torch
    with torch.no_grad():
        return model(torch.from_numpy(inputs)).numpy()


def torch_model(args):
    import torch
    torch.manual_seed(args.seed)
    model = build_mlp()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    st.write(args.weights, state)
    inputs = st.read(args.inputs)[0]["images"]
    st.write(args.logits, {"logits": logits_of(model, inputs)})
    print(json.dumps({"entries": list(state), "images": int(inputs.shape[0])}))


def predict(args):
    import torch
    st.check_layout(args.weights)
    tensors, metadata = st.read(args.weights)
    weights, schemes = dequantize(tensors, metadata)
    model = build_mlp()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    inputs = st.read(args.inputs)[0]["images"]
    logits = logits_of(model, inputs)
    st.write(args.out, {"logits": logits, "labels": logits.argmax(axis=1).astype(np.int64)})
    print(json.dumps({"entries": list(tensors), "schemes": schemes, "dtypes": {k: str(v.dtype) for k, v in tensors.items()}}))


def dequantize_command(args):
    st.check_layout(args.weights)
    tensors, metadata = st.read(args.weights)
    weights, schemes = dequantize(tensors, metadata)
    st.write(args.out, weights)
    print(json.dumps({"schemes": schemes, "dtypes": {k: str(v.dtype) for k, v in tensors.items()}}))


def dtypes(args):
    import torch
    patterns = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    f16 = patterns.view(np.float16)
    bf16_in_torch = torch.from_numpy(patterns.view(np.int16).copy()).view(torch.bfloat16).float().numpy()
    ints = {
        "i8": np.arange(-128, 128, dtype=np.int8), "u8": np.arange(256, dtype=np.uint8),
        "i16": np.array([-32768, -1, 0, 1, 32767], dtype=np.int16),
        "i32": np.array([-2 ** 31, -1, 0, 1, 2 ** 31 - 1], dtype=np.int32),
        "i64": np.array([-2 ** 63, -1, 0, 1, 2 ** 63 - 1], dtype=np.int64),
    }
    out = {"f16": f16, "f16_numpy_f32": f16.astype(np.float32), "bf16": ("BF16", patterns), "bf16_torch_f32": bf16_in_torch}
    out.update(ints)
    st.write(args.out, out, {"written by": "torch_interop.py dtypes"})
    print(json.dumps({"tensors": list(out)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("torch-model")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--inputs", required=True)
    p.add_argument("--weights", required=True)
    p.add_argument("--logits", required=True)
    p = sub.add_parser("predict")
    p.add_argument("--weights", required=True)
    p.add_argument("--inputs", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("dequantize")
    p.add_argument("--weights", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("dtypes")
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command != "dequantize":
        import torch
        torch.set_num_threads(1)  # the same sums in the same order on every run
    {"torch-model": torch_model, "predict": predict, "dequantize": dequantize_command, "dtypes": dtypes}[args.command](args)


if __name__ == "__main__":
    main()
