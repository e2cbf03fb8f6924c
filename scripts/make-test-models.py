#!/usr/bin/python3
"""Makes the small models Runway's import tests load: trained here with PyTorch, exported as ONNX and TorchScript.

Run from the repository root with Debian's python3-torch and python3-onnx:

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/make-test-models.py   (Debian's Python, which sees the Debian packages)

It writes, under src/test/resources/imported-models/:
  iris.onnx, iris.pt        a classifier of samples/iris.csv (4 raw columns -> 3 class logits)
  linear.onnx, linear.pt    a regression of samples/linear.csv (x -> y)
  expected.json             the settings used and the figures this script measured, on ALL rows of each CSV
                            (Runway's evaluation with "rows": "all" must reproduce them)

The models take raw column values, in the manifest's column order; the standardisation is baked into the network
as constants, so Runway feeds the CSV's numbers unchanged ("inputs": "raw").
"""
import csv
import json
import os

import torch
from torch import nn

SEED = 7
OUT = "src/test/resources/imported-models"


def read(path, features, target):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    x = torch.tensor([[float(r[c]) for c in features] for r in rows], dtype=torch.float32)
    return x, [r[target] for r in rows]


class Standardised(nn.Module):
    """Standardises raw inputs with the training data's mean and spread, then applies the network."""

    def __init__(self, mean, std, net):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = net

    def forward(self, x):
        return self.net((x - self.mean) / self.std)


def train(model, x, y, loss_fn, epochs, lr):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    return model


def export(model, width, name):
    example = torch.zeros(2, width)
    torch.onnx.export(model, example, os.path.join(OUT, name + ".onnx"), input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      opset_version=13)
    torch.jit.trace(model, example).save(os.path.join(OUT, name + ".pt"))


def main():
    torch.manual_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    expected = {"seed": SEED, "torch": torch.__version__, "models": {}}

    features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    classes = ["setosa", "versicolor", "virginica"]
    x, labels = read("samples/iris.csv", features, "species")
    y = torch.tensor([classes.index(v) for v in labels])
    settings = {"hidden": 16, "epochs": 300, "learningRate": 0.01}
    net = nn.Sequential(nn.Linear(4, settings["hidden"]), nn.ReLU(), nn.Linear(settings["hidden"], 3))
    model = train(Standardised(x.mean(0), x.std(0), net), x, y, nn.CrossEntropyLoss(), settings["epochs"],
                  settings["learningRate"])
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"iris: accuracy on all {len(y)} rows = {accuracy:.4f}")
    export(model, 4, "iris")
    expected["models"]["iris"] = {
        "csv": "samples/iris.csv", "rows": "all", "rowCount": len(y), "settings": settings,
        "manifest": {"task": "classification", "features": features, "inputs": "raw", "target": "species",
                     "classes": classes},
        "accuracy": round(accuracy, 6)}

    x, targets = read("samples/linear.csv", ["x"], "y")
    y = torch.tensor([[float(v)] for v in targets])
    settings = {"epochs": 500, "learningRate": 0.05}
    model = train(Standardised(x.mean(0), x.std(0), nn.Linear(1, 1)), x, y, nn.MSELoss(), settings["epochs"],
                  settings["learningRate"])
    with torch.no_grad():
        mse = ((model(x) - y) ** 2).mean().item()
    print(f"linear: mse on all {len(y)} rows = {mse:.6f}")
    export(model, 1, "linear")
    expected["models"]["linear"] = {
        "csv": "samples/linear.csv", "rows": "all", "rowCount": len(y), "settings": settings,
        "manifest": {"task": "regression", "features": ["x"], "inputs": "raw", "target": "y"},
        "mse": round(mse, 6)}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
