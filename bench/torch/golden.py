#!/usr/bin/python3
"""Golden fixtures: what PyTorch computes for octoquant's two reference models.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    python3 bench/torch/golden.py            # (re)generate, then verify
    python3 bench/torch/golden.py --verify   # only verify the committed fixtures

For each model it writes engine/src/test/resources/golden/<mlp|cnn>/ holding a
manifest.tsv and one raw little-endian file per tensor (.f32 = float32,
.i64 = int64). The engine's tests load them and must match to 1e-4 relative;
bench/torch/README.md describes the format and the names.

Why the choices below:
- One thread and a fixed seed, so that a regeneration gives the same bytes.
- Everything is float32, as in the engine: the fixtures are "what PyTorch gives",
  not an exact reference. The verification step recomputes all of it in float64
  from the saved float32 inputs and weights and prints how far PyTorch's float32
  is from it, which is the noise floor any float32 engine has to live with.
- Max-pool ties: inputs are continuous N(0,1), so ties between positive values
  have probability zero; the script checks it. Windows that are all zero (every
  value cut by the ReLU before the pool) are ties, but their gradient is zeroed
  by that ReLU's backward whichever position gets it, so they cannot change any
  fixture. The script counts them and checks that no pre-activation is exactly 0.
"""

import argparse
import os
import shutil
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20261128
NUM_CLASSES = 10
ADAM_LR = 1e-3
SGD_SETTINGS = dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
OPTIMIZER_STEPS = 2
# Layer outputs up to this many elements are saved too (act.<index>), to help
# find which layer disagrees; the big conv activations are left out to keep the
# fixtures small.
MAX_SAVED_ACTIVATION = 16384

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN_ROOT = os.path.join(REPO_ROOT, "engine", "src", "test", "resources", "golden")
COMMAND = "python3 bench/torch/golden.py"


def build_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def build_cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4096, 64), nn.ReLU(), nn.Linear(64, 10))


# name -> (builder, input shape, expected parameter count, with optimizer fixtures)
MODELS = {
    "mlp": (build_mlp, (8, 1, 28, 28), 101_770, True),
    "cnn": (build_cnn, (4, 3, 32, 32), 282_250, False),
}


def torch_version_line():
    """torch.__version__ of Debian's build says 1.13.0a0; the package version is the useful one."""
    try:
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        deb = "unknown"
    return f"torch {torch.__version__} (Debian python3-torch {deb})"


# ---------------------------------------------------------------- writing

class FixtureWriter:
    """Collects tensors, then writes them and the manifest into a temporary
    directory that replaces the old one only when everything is written."""

    def __init__(self, model_name):
        self.model_name = model_name
        self.entries = []  # (name, dims, dtype, file, bytes)

    def add(self, name, tensor):
        t = tensor.detach().cpu().contiguous()
        if t.dtype == torch.float32:
            dtype, ext, arr = "f32", "f32", t.numpy().astype("<f4", copy=False)
        elif t.dtype == torch.int64:
            dtype, ext, arr = "i64", "i64", t.numpy().astype("<i8", copy=False)
        else:
            raise TypeError(f"{self.model_name}/{name}: dtype {t.dtype}, expected float32 or int64")
        dims = list(t.shape) if t.dim() > 0 else [1]  # scalars are stored with dims "1"
        if any(name == e[0] for e in self.entries):
            raise ValueError(f"{self.model_name}: duplicate tensor name {name}")
        self.entries.append((name, dims, dtype, f"{name}.{ext}", arr.tobytes()))

    def write(self, seed):
        final_dir = os.path.join(GOLDEN_ROOT, self.model_name)
        tmp_dir = final_dir + ".tmp"
        shutil.rmtree(tmp_dir, ignore_errors=True)
        os.makedirs(tmp_dir)
        lines = [f"# {torch_version_line()}; command: {COMMAND}; seed {seed}; "
                 f"columns: name, dims, dtype, file"]
        for name, dims, dtype, file, data in self.entries:
            with open(os.path.join(tmp_dir, file), "wb") as f:
                f.write(data)
            lines.append(f"{name}\t{','.join(str(d) for d in dims)}\t{dtype}\t{file}")
        with open(os.path.join(tmp_dir, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        shutil.rmtree(final_dir, ignore_errors=True)
        os.replace(tmp_dir, final_dir)
        return final_dir


# ---------------------------------------------------------------- checks

def check_no_ties(model, x):
    """Fail when a ReLU input is exactly 0 or a max-pool window has a tie
    between positive values (see the module docstring); count all-zero windows."""
    all_zero_windows = 0
    h = x
    with torch.no_grad():
        for i, layer in enumerate(model):
            if isinstance(layer, nn.ReLU) and (h == 0).any():
                raise AssertionError(f"layer {i} (ReLU): an input is exactly 0; change SEED")
            if isinstance(layer, nn.MaxPool2d):
                k = layer.kernel_size
                windows = h.unfold(2, k, k).unfold(3, k, k).reshape(*h.shape[:2], h.shape[2] // k,
                                                                      h.shape[3] // k, k * k)
                top2 = windows.topk(2, dim=-1).values
                positive_ties = (top2[..., 0] == top2[..., 1]) & (top2[..., 0] > 0)
                if positive_ties.any():
                    raise AssertionError(f"layer {i} (MaxPool2d): tie between positive values; change SEED")
                all_zero_windows += int((top2[..., 0] == 0).sum())
            h = layer(h)
    return all_zero_windows


# ---------------------------------------------------------------- generation

def train_copy(model, state, x, y, make_optimizer, steps):
    """Load the initial weights into `model`, take `steps` optimizer steps on the
    one batch (zero_grad, forward, backward, step); return losses and weights."""
    model.load_state_dict(state)
    opt = make_optimizer(model.parameters())
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.detach().clone())
    return torch.stack(losses), {k: v.detach().clone() for k, v in model.state_dict().items()}


def generate(name):
    builder, input_shape, expected_params, with_optimizers = MODELS[name]
    seed = SEED + (0 if name == "mlp" else 1)
    torch.manual_seed(seed)
    model = builder()
    n_params = sum(p.numel() for p in model.parameters())
    if n_params != expected_params:
        raise AssertionError(f"{name}: {n_params} parameters, expected {expected_params}")
    x = torch.randn(*input_shape, dtype=torch.float32)
    y = torch.randint(0, NUM_CLASSES, (input_shape[0],), dtype=torch.int64)
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    for k, v in initial.items():
        assert v.dtype == torch.float32, f"{name}: {k} is {v.dtype}"

    zero_windows = check_no_ties(model, x)

    out = FixtureWriter(name)
    out.add("input", x)
    out.add("labels", y)
    for k, v in initial.items():
        out.add(f"param.{k}", v)

    # Forward layer by layer (same ops as model(x)), keeping the small outputs.
    model.zero_grad()
    h = x
    for i, layer in enumerate(model):
        h = layer(h)
        last = i == len(model) - 1  # the last output is saved as "logits"
        if h.numel() <= MAX_SAVED_ACTIVATION and not isinstance(layer, nn.Flatten) and not last:
            out.add(f"act.{i}", h)
    logits = h
    loss = F.cross_entropy(logits, y)
    loss.backward()
    out.add("logits", logits)
    out.add("loss", loss)
    for k, p in model.named_parameters():
        out.add(f"grad.{k}", p.grad)

    if with_optimizers:
        adam_losses, adam_w = train_copy(model, initial, x, y,
                                         lambda ps: torch.optim.Adam(ps, lr=ADAM_LR), OPTIMIZER_STEPS)
        sgd_losses, sgd_w = train_copy(model, initial, x, y,
                                       lambda ps: torch.optim.SGD(ps, **SGD_SETTINGS), OPTIMIZER_STEPS)
        out.add("adam.loss", adam_losses)
        for k, v in adam_w.items():
            out.add(f"adam.{k}", v)
        out.add("sgd.loss", sgd_losses)
        for k, v in sgd_w.items():
            out.add(f"sgd.{k}", v)

    path = out.write(seed)
    size = sum(len(e[4]) for e in out.entries)
    print(f"{name}: wrote {len(out.entries)} tensors, {size:,} bytes to {os.path.relpath(path, REPO_ROOT)} "
          f"(all-zero max-pool windows: {zero_windows})")


# ---------------------------------------------------------------- verification

def read_fixtures(name):
    """Read a fixture directory back through its manifest only (as the Java test does)."""
    directory = os.path.join(GOLDEN_ROOT, name)
    tensors = {}
    with open(os.path.join(directory, "manifest.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or not lines[0].startswith("#"):
        raise AssertionError(f"{name}/manifest.tsv: first line must be the '#' header")
    for line in lines[1:]:
        tname, dims, dtype, file = line.split("\t")
        shape = tuple(int(d) for d in dims.split(","))
        np_dtype = {"f32": "<f4", "i64": "<i8"}[dtype]
        arr = np.fromfile(os.path.join(directory, file), dtype=np_dtype)
        if arr.size != int(np.prod(shape)):
            raise AssertionError(f"{name}/{file}: {arr.size} values, manifest says {dims}")
        tensors[tname] = torch.from_numpy(arr.reshape(shape).copy())
    return tensors


def compare(label, got, ref, tol):
    """Largest difference relative to the tensor's largest magnitude (scale-aware,
    so near-zero elements do not blow it up); fail above tol."""
    got64, ref64 = got.double(), ref.double()
    scale = ref64.abs().max().item() or 1.0
    err = (got64 - ref64).abs().max().item() / scale
    if err > tol:
        raise AssertionError(f"{label}: max |diff| / max |ref| = {err:.3g} > {tol}")
    return err


def verify(name):
    """Check shapes and dtypes, then recompute everything in float64 from the
    saved input and initial weights and compare with the saved float32 values."""
    builder, input_shape, expected_params, with_optimizers = MODELS[name]
    t = read_fixtures(name)
    model = builder().double()
    sd_keys = list(model.state_dict().keys())
    assert t["input"].dtype == torch.float32 and tuple(t["input"].shape) == input_shape
    assert t["labels"].dtype == torch.int64 and tuple(t["labels"].shape) == (input_shape[0],)
    assert int(t["labels"].min()) >= 0 and int(t["labels"].max()) < NUM_CLASSES
    assert tuple(t["logits"].shape) == (input_shape[0], NUM_CLASSES)
    assert tuple(t["loss"].shape) == (1,)
    for k, v in model.state_dict().items():
        assert tuple(t[f"param.{k}"].shape) == tuple(v.shape), f"{name}: param.{k} shape"
        assert tuple(t[f"grad.{k}"].shape) == tuple(v.shape), f"{name}: grad.{k} shape"
    assert sum(t[f"param.{k}"].numel() for k in sd_keys) == expected_params

    initial = {k: t[f"param.{k}"].double() for k in sd_keys}
    model.load_state_dict(initial)
    x, y = t["input"].double(), t["labels"]
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    # The loss again by hand, from the saved float32 logits: log-sum-exp minus the true class.
    saved = t["logits"].double()
    by_hand = (torch.logsumexp(saved, dim=1) - saved[torch.arange(len(y)), y]).mean()
    worst = {
        "loss vs float32 logits": compare(f"{name}/loss", t["loss"], by_hand.reshape(1), 1e-6),
        "logits": compare(f"{name}/logits", t["logits"], logits, 1e-5),
        "loss": compare(f"{name}/loss", t["loss"], loss.reshape(1), 1e-5),
    }
    worst["grads"] = max(compare(f"{name}/grad.{k}", t[f"grad.{k}"], p.grad, 1e-4)
                         for k, p in model.named_parameters())
    if with_optimizers:
        for opt_name, make in (("adam", lambda ps: torch.optim.Adam(ps, lr=ADAM_LR)),
                               ("sgd", lambda ps: torch.optim.SGD(ps, **SGD_SETTINGS))):
            losses, weights = train_copy(model, initial, x, y, make, OPTIMIZER_STEPS)
            compare(f"{name}/{opt_name}.loss", t[f"{opt_name}.loss"], losses, 1e-5)
            worst[opt_name] = max(compare(f"{name}/{opt_name}.{k}", t[f"{opt_name}.{k}"], weights[k], 1e-5)
                                  for k in sd_keys)
    print(f"{name}: verified {len(t)} tensors; float32 vs float64 recomputation, "
          "max |diff|/max|ref|: " + ", ".join(f"{k} {v:.2g}" for k, v in worst.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verify", action="store_true", help="only verify the existing fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one reduction order, so regenerating gives the same bytes
    torch.set_default_dtype(torch.float32)
    for name in MODELS:
        if not args.verify:
            generate(name)
        verify(name)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit(f"golden.py: {e}")
