"""Writes a random-weights torchvision model and its outputs for one random image, for parity tests.

Usage: random_reference.py OUT_DIR NAME[:SIZE]...
For each NAME (image size SIZE, default 224), into OUT_DIR/NAME/ (OUT_DIR/NAME_SIZE/ with a size):
  weights.json   [[key, [dims...]], ...] in state_dict order (num_batches_tracked left out)
  weights.f32    the tensors' values, float32 little-endian, concatenated in that order
  input.f32      a [1, 3, SIZE, SIZE] normal(0, 1) image
  features.f32   the penultimate layer transfer4j marks as FEATURES, flattened
  logits.f32     the 1000 class scores
Batch-norm statistics and affine parameters are randomised so that their mapping is tested too.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
import random_batch_norms


def features_hook(model, name):
    """The module whose input (or output) is FEATURES, and which of the two."""
    if name.startswith("resnet"):
        return model.fc, "in"
    if name.startswith("densenet"):
        return model.classifier, "in"
    if name.startswith("vgg"):
        return model.classifier[4], "out"
    if name.startswith("mobilenet_v3"):
        return model.classifier[0], "in"
    if name.startswith("mobilenet_v2") or name.startswith("efficientnet"):
        return model.classifier[1], "in"
    if name.startswith("squeezenet"):
        return model.features, "out"
    raise ValueError("no features layer known for " + name)


def write(path, tensor):
    tensor.detach().numpy().astype("<f4").tofile(path)


out_dir = sys.argv[1]
torch.manual_seed(0)
for arg in sys.argv[2:]:
    name, _, size = arg.partition(":")
    model = torchvision.models.get_model(name, weights=None).eval()
    random_batch_norms.randomise(model)
    captured = {}
    module, side = features_hook(model, name)

    def hook(mod, inputs, output):
        value = inputs[0] if side == "in" else output
        if name.startswith("squeezenet"):
            value = value.mean(dim=(2, 3))
        captured["features"] = torch.flatten(value, 1).clone()

    module.register_forward_hook(hook)
    image = torch.randn(1, 3, int(size or 224), int(size or 224))
    with torch.no_grad():
        logits = model(image)

    target = os.path.join(out_dir, name + ("_" + size if size else ""))
    os.makedirs(target, exist_ok=True)
    state = [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    with open(os.path.join(target, "weights.json"), "w") as f:
        json.dump([[k, list(v.shape)] for k, v in state], f)
    with open(os.path.join(target, "weights.f32"), "wb") as f:
        for _, v in state:
            f.write(v.detach().float().numpy().astype("<f4").tobytes())
    write(os.path.join(target, "input.f32"), image)
    write(os.path.join(target, "features.f32"), captured["features"])
    write(os.path.join(target, "logits.f32"), logits)
