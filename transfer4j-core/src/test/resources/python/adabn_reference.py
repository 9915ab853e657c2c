"""Writes a random-weights torchvision model, two batches of random images and the batch-norm running
statistics PyTorch re-estimates on them (AdaBN: train mode, momentum=None), for BatchNormAdaptationParityTest.

Usage: adabn_reference.py OUT_DIR NAME
Into OUT_DIR/NAME/:
  weights.json, weights.f32   the state_dict as random_reference.py writes it (random batch-norm statistics)
  input.f32                   [2, BATCH, 3, 224, 224] normal(0.3, 1) images: two batches
  adapted.json, adapted.f32   every batch norm's running_mean and running_var after the two batches
"""
import json
import os
import sys

try:
    import torch
    import torchvision
    import random_batch_norms
except ImportError as e:
    print(e)
    sys.exit(3)

BATCH = 3

out_dir, name = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = torchvision.models.get_model(name, weights=None)
random_batch_norms.randomise(model)
target = os.path.join(out_dir, name)
os.makedirs(target, exist_ok=True)


def dump(prefix, pairs):
    with open(os.path.join(target, prefix + ".json"), "w") as f:
        json.dump([[k, list(v.shape)] for k, v in pairs], f)
    with open(os.path.join(target, prefix + ".f32"), "wb") as f:
        for _, v in pairs:
            f.write(v.detach().float().numpy().astype("<f4").tobytes())


dump("weights", [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")])
images = torch.randn(2, BATCH, 3, 224, 224) + 0.3
images.numpy().astype("<f4").tofile(os.path.join(target, "input.f32"))
for m in model.modules():
    if isinstance(m, torch.nn.BatchNorm2d):
        m.reset_running_stats()
        m.momentum = None
model.train()
with torch.no_grad():
    for batch in images:
        model(batch)
dump("adapted", [(k, v) for k, v in model.state_dict().items()
                 if k.endswith("running_mean") or k.endswith("running_var")])
