"""The Python PyTorch peer of TrainingOverheadBenchmark (docs/benchmarks.md, "Training engine").

Trains the digits MLP exactly as the benchmark's engine run does: the same prepared rows (written by the benchmark,
already split and standardised), 64-128-10 with ReLU and dropout 0.1, softmax cross-entropy, Adam lr 0.01, batch 32,
a fresh seeded shuffle per epoch, 20 epochs, training loss and accuracy summed per epoch (read back once per epoch,
with the NaN check) and a validation pass per epoch, on one thread. It writes no checkpoints: it is the bare PyTorch
loop that the engine, checkpoints included, is measured against.

Usage: digits_mlp_peer.py ROWS_FILE EPOCHS REPEATS  ->  one line per timed run: "python <seconds>"
"""
import math
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def read_split(f):
    rows, width = struct.unpack(">ii", f.read(8))
    x = np.frombuffer(f.read(4 * rows * width), dtype=">f4").astype(np.float32).reshape(rows, width)
    y = np.frombuffer(f.read(4 * rows), dtype=">f4").astype(np.int64)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())


def train(x, y, vx, vy, epochs, seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(x.shape[1], 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        loss_sum = torch.zeros(())
        correct = torch.zeros((), dtype=torch.int64)
        for start in range(0, n, 32):
            index = order[start:start + 32]
            xb, yb = x[index], y[index]
            out = model(xb)
            loss = loss_fn(out, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                loss_sum += loss * len(index)
                correct += (out.argmax(1) == yb).sum()
        train_loss = loss_sum.item() / n
        if not math.isfinite(train_loss):
            raise RuntimeError("diverged in epoch %d" % (epoch + 1))
        train_accuracy = correct.item() / n
        model.eval()
        with torch.no_grad():
            out = model(vx)
            val_loss = loss_fn(out, vy).item()
            val_accuracy = (out.argmax(1) == vy).sum().item() / vx.shape[0]
    return train_loss, train_accuracy, val_loss, val_accuracy


def main():
    path, epochs, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, "rb") as f:
        x, y = read_split(f)
        vx, vy = read_split(f)
    train(x, y, vx, vy, epochs, 42)  # warm-up, as the Java side has one
    for _ in range(repeats):
        started = time.perf_counter()
        result = train(x, y, vx, vy, epochs, 42)
        seconds = time.perf_counter() - started
        print("python %.6f %s" % (seconds, " ".join("%.4f" % v for v in result)), flush=True)


if __name__ == "__main__":
    main()
