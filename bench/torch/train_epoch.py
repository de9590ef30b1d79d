#!/usr/bin/python3
"""PyTorch's side of the speed race (issue 6): one training epoch and test-set inference.

    OPENBLAS_NUM_THREADS=1 python3 bench/torch/train_epoch.py --model mlp|cnn|all [--threads 2]

Trains the reference model for one epoch on random data shaped like the real data set
(mlp: 60,000 x 1x28x28 like MNIST; cnn: 50,000 x 3x32x32 like CIFAR-10) with batch 64
and Adam (lr 1e-3), then measures inference on 10,000 test-shaped images. Prints one
machine-readable line per figure, the format octoquant's Java side prints too
(bench/torch/README.md, "The contract"):

    torch mlp train_epoch_seconds 0.912
    torch mlp infer_images_per_second 41234.5

Lines starting with '#' are comments for people. What is timed and what is not:
- the epoch: shuffling, gathering each batch, forward, loss, backward, Adam step, for all
  ceil(N/64) batches (the last one is partial, as with drop_last=False). Not timed: making
  the data, building the model, and a warm-up of a few training steps on a throwaway copy
  of the model (so that allocator and one-time set-up costs stay out of the epoch);
- also printed: train_epoch_cpu_seconds (process CPU time during the epoch), train_fastest_block_ms
  (ms per step of the epoch's fastest block of 100 steps after the first: what the contestant did
  while the host let it be; only with two full blocks), train_mean_loss (about 2.30 on random
  labels) and peak_rss_mb;
- inference: model.eval() under torch.no_grad() over the 10,000 images in batches of 64;
  one warm-up pass, then the median of 3 timed passes.

Threads: torch.set_num_threads(2) and OPENBLAS_NUM_THREADS=1 (both at 2 oversubscribe two
cores). OPENBLAS_NUM_THREADS must be set before torch is loaded, so this script sets it to 1
itself when the environment does not. Without libopenblas0-pthread torch falls back to the
reference BLAS and its Linear layers are about ten times slower; the script says so.
"""

import argparse
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402  (after the environment is set)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

NUM_CLASSES = 10
WARMUP_STEPS = 5


def build_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def build_cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4096, 64), nn.ReLU(), nn.Linear(64, 10))


# name -> (builder, image shape, training images)
MODELS = {
    "mlp": (build_mlp, (1, 28, 28), 60_000),
    "cnn": (build_cnn, (3, 32, 32), 50_000),
}


def blas_in_use():
    """Which BLAS library torch really loaded (Debian's torch links libblas.so.3, whose
    provider is chosen by update-alternatives): read it from this process's memory map."""
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))  # make sure BLAS is loaded
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    for lib in sorted(libs):
        if "openblas" in lib:
            return lib
    return ", ".join(sorted(libs)) or "none found"


# Steps per block of the epoch's per-step timing, as on the Java sides (octoquant.bench.StepBlocks.RACE_STEPS).
STEP_BLOCK = 100


def emit(model, metric, value):
    print(f"torch {model} {metric} {value:.6g}", flush=True)


def train_step(model, opt, xb, yb):
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    return loss


def run(name, args):
    builder, image_shape, default_train = MODELS[name]
    n_train = args.train_size or default_train
    gen = torch.Generator().manual_seed(args.seed)
    x_train = torch.randn((n_train, *image_shape), generator=gen)
    y_train = torch.randint(0, NUM_CLASSES, (n_train,), generator=gen)
    x_test = torch.randn((args.test_size, *image_shape), generator=gen)

    # Warm-up on a throwaway model, so one-time costs stay out of the timed epoch.
    torch.manual_seed(args.seed)
    scratch = builder()
    scratch_opt = torch.optim.Adam(scratch.parameters(), lr=args.lr)
    for i in range(WARMUP_STEPS):
        lo = (i * args.batch_size) % max(1, n_train - args.batch_size)
        train_step(scratch, scratch_opt, x_train[lo:lo + args.batch_size], y_train[lo:lo + args.batch_size])
    del scratch, scratch_opt

    torch.manual_seed(args.seed)
    model = builder()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_sum = torch.zeros(())
    batches = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    order = torch.randperm(n_train, generator=gen)
    block_ms, block_start = [], start
    for lo in range(0, n_train, args.batch_size):
        idx = order[lo:lo + args.batch_size]
        loss = train_step(model, opt, x_train.index_select(0, idx), y_train.index_select(0, idx))
        loss_sum += loss.detach()
        batches += 1
        if batches % STEP_BLOCK == 0:
            now = time.perf_counter()
            block_ms.append((now - block_start) * 1e3 / STEP_BLOCK)
            block_start = now
    epoch_seconds = time.perf_counter() - start
    epoch_cpu_seconds = time.process_time() - cpu_start
    if block_ms:
        print(f"# epoch, ms per step in blocks of {STEP_BLOCK} steps: " + " ".join(f"{ms:.2f}" for ms in block_ms))
    emit(name, "train_epoch_seconds", epoch_seconds)
    if len(block_ms) >= 2:
        emit(name, "train_fastest_block_ms", min(block_ms[1:]))
    # CPU time of all the process's threads (spin-waiting included): on a busy shared machine it
    # shows how much of the wall time was this process working.
    emit(name, "train_epoch_cpu_seconds", epoch_cpu_seconds)
    emit(name, "train_mean_loss", loss_sum.item() / batches)

    model.eval()
    pass_seconds = []
    with torch.no_grad():
        for p in range(1 + args.infer_passes):  # pass 0 is the warm-up
            start = time.perf_counter()
            for lo in range(0, args.test_size, args.batch_size):
                model(x_test[lo:lo + args.batch_size])
            if p > 0:
                pass_seconds.append(time.perf_counter() - start)
    emit(name, "infer_images_per_second", args.test_size / statistics.median(pass_seconds))
    # ru_maxrss is in KiB on Linux; it covers this whole process (data included).
    emit(name, "peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=["mlp", "cnn", "all"], default="all")
    parser.add_argument("--threads", type=positive, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--batch-size", type=positive, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--train-size", type=positive, default=None,
                        help="training images (default: 60000 for mlp, 50000 for cnn)")
    parser.add_argument("--test-size", type=positive, default=10_000)
    parser.add_argument("--infer-passes", type=positive, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    blas = blas_in_use()
    print(f"# torch {torch.__version__}; threads {torch.get_num_threads()}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}; "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}; BLAS {blas}; "
          f"batch {args.batch_size}; Adam lr {args.lr}", flush=True)
    if "openblas" not in blas:
        print("# WARNING: torch is not using OpenBLAS, so its Linear layers run on the slow reference BLAS "
              "and the comparison means little; install it: apt-get install -y libopenblas0-pthread",
              file=sys.stderr, flush=True)
    for name in (["mlp", "cnn"] if args.model == "all" else [args.model]):
        run(name, args)
    # The figures depend on what else the machine was doing: say so next to them.
    print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores", flush=True)


if __name__ == "__main__":
    main()
