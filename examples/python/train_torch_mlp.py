"""Train the MNIST MLP (784-128-10) in PyTorch for one epoch and save its weights as safetensors.

The other half of the example LoadPyTorchWeights: the Java side loads the file and measures the same test
accuracy. Needs NumPy and PyTorch (Debian: apt-get install python3-numpy python3-torch); the safetensors file
is written with NumPy alone (an 8-byte little-endian header length, a JSON header, raw little-endian data).

    python3 examples/python/train_torch_mlp.py --mnist ../shared/datasets/mnist --out mlp.safetensors
"""

import argparse
import gzip
import json
import os
import struct

import numpy as np
import torch
from torch import nn


def idx(folder, name):
    """An IDX file of MNIST, raw or gzipped, as a NumPy array."""
    for path in (os.path.join(folder, name), os.path.join(folder, name + ".gz")):
        if os.path.exists(path):
            with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
                data = f.read()
            dims = data[3]
            shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    raise SystemExit(f"{name} not found in {folder}")


def normalized(images, mean, std):
    """(p/255 - mean) / std through a 256-entry float32 table, as octoquant's datasets module does."""
    table = ((np.arange(256) / 255.0 - np.float64(mean)) / np.float64(std)).astype(np.float32)
    return table[images].reshape(len(images), 1, 28, 28)


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", required=True, help="folder with the four MNIST IDX files")
    ap.add_argument("--out", required=True, help="the .safetensors file to write")
    ap.add_argument("--limit-train", type=int, default=0, help="train on the first N images only")
    args = ap.parse_args()
    torch.manual_seed(0)
    train_x, train_y = idx(args.mnist, "train-images-idx3-ubyte"), idx(args.mnist, "train-labels-idx1-ubyte")
    test_x, test_y = idx(args.mnist, "t10k-images-idx3-ubyte"), idx(args.mnist, "t10k-labels-idx1-ubyte")
    pixels = train_x.astype(np.float64)
    mean, std = np.float32(pixels.mean() / 255.0), np.float32(pixels.std() / 255.0)
    if args.limit_train:
        train_x, train_y = train_x[:args.limit_train], train_y[:args.limit_train]
    x = torch.from_numpy(normalized(train_x, mean, std))
    y = torch.from_numpy(train_y.astype(np.int64))
    # The names octoquant's Sequential gives: layer index, then weight or bias.
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(len(x))
    for start in range(0, len(x), 64):
        batch = order[start:start + 64]
        adam.zero_grad()
        nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
        adam.step()
    with torch.no_grad():
        predicted = model(torch.from_numpy(normalized(test_x, mean, std))).argmax(1).numpy()
    print(f"PyTorch test accuracy {100 * (predicted == test_y).mean():.2f}%")
    save_safetensors(args.out, {k: v.numpy() for k, v in model.state_dict().items()})


if __name__ == "__main__":
    main()
