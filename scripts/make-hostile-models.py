#!/usr/bin/python3
"""Makes the files Runway's import must refuse, and typical models it must let through, for the scan tests.

Run from the repository root with Debian's python3-torch and python3-onnx (see make-test-models.py):

    /usr/bin/python3 scripts/make-hostile-models.py

It writes, under src/test/resources/imported-models/hostile/:
  from-file.pt        a scripted module whose forward reads a server file with torch.from_file
  custom-op.pt        iris.pt with its ReLU replaced by a call to a custom op (ops.evil.run)
  pickle-global.pt    iris.pt with a global (os.system) in data.pkl
  external-data.onnx  linear.onnx with its weights in an external file (../../../etc/hostname)
  custom-domain.onnx  linear.onnx with a node of the domain com.evil
and under src/test/resources/imported-models/typical/ small traced and scripted MLP, CNN and Transformer-encoder
TorchScript files whose ops the allowlist must cover.
"""
import os
import shutil
import zipfile

import onnx
import torch
from torch import nn

SRC = "src/test/resources/imported-models"
OUT = os.path.join(SRC, "hostile")
TYPICAL = os.path.join(SRC, "typical")


class FromFile(nn.Module):
    def forward(self, x):
        leak = torch.from_file("/proc/self/environ", False, 64, dtype=torch.uint8)
        return x + leak[0].float()


def rewrite(source, target, change):
    """Copies a zip, passing each entry's bytes through change(name, data)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item, change(item.filename, zin.read(item.filename)))


def typical():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.GELU(), nn.Dropout(0.1), nn.Linear(16, 16),
                        nn.Tanh(), nn.LayerNorm(16), nn.Sigmoid(), nn.Linear(16, 3), nn.Softmax(dim=1)).eval()
    cnn = nn.Sequential(nn.Unflatten(1, (1, 8, 8)), nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.LeakyReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(8, 10), nn.LogSoftmax(dim=1)).eval()
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1).eval()
    os.makedirs(TYPICAL, exist_ok=True)
    torch.jit.trace(mlp, torch.zeros(2, 8)).save(os.path.join(TYPICAL, "mlp-traced.pt"))
    torch.jit.script(mlp).save(os.path.join(TYPICAL, "mlp-scripted.pt"))
    torch.jit.trace(cnn, torch.zeros(2, 64)).save(os.path.join(TYPICAL, "cnn-traced.pt"))
    torch.jit.script(encoder).save(os.path.join(TYPICAL, "encoder-scripted.pt"))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.jit.script(FromFile()).save(os.path.join(OUT, "from-file.pt"))
    rewrite(os.path.join(SRC, "iris.pt"), os.path.join(OUT, "custom-op.pt"),
            lambda name, data: data.replace(b"torch.relu(", b"ops.evil.run(") if name.endswith(".py") else data)
    # GLOBAL is line-based and protocol 2 has no frames: the name can change length.
    rewrite(os.path.join(SRC, "iris.pt"), os.path.join(OUT, "pickle-global.pt"),
            lambda name, data: data.replace(b"ccollections\nOrderedDict\n", b"cos\nsystem\n")
            if name.endswith("data.pkl") else data)

    model = onnx.load(os.path.join(SRC, "linear.onnx"))
    for tensor in model.graph.initializer:
        tensor.ClearField("raw_data")
        tensor.ClearField("float_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", "../../../etc/hostname"
    onnx.save(model, os.path.join(OUT, "external-data.onnx"), save_as_external_data=False)

    model = onnx.load(os.path.join(SRC, "linear.onnx"))
    model.graph.node[-1].domain = "com.evil"
    model.opset_import.add(domain="com.evil", version=1)
    onnx.save(model, os.path.join(OUT, "custom-domain.onnx"))
    typical()


if __name__ == "__main__":
    main()
