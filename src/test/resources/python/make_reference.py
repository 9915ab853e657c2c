"""Parity reference for one torchvision architecture.

Builds the model with random weights under a fixed seed, randomises every BatchNorm's affine
parameters and running statistics (so BN is not an identity), saves the state_dict with
torch.save, preprocesses the given photos the torchvision way and runs the model in eval mode.

Usage: make_reference.py ARCH OUT_DIR SIZE SEED IMAGE...
Writes to OUT_DIR: weights.pth, input.f32 and logits.f32 (raw little-endian float32, C order)
and meta.json with their shapes. Exits with 3 when torch or torchvision is not installed.
"""
import json
import os
import sys

try:
    import numpy as np
    import torch
    import torchvision
    from PIL import Image
    from torchvision import transforms
except ImportError as e:
    print("missing Python package: %s" % e, file=sys.stderr)
    sys.exit(3)


def randomise_batch_norms(model, generator):
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            n = m.num_features
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(n, generator=generator))
                m.bias.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(n, generator=generator))


def main():
    arch, out_dir, size, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    images = sys.argv[5:]
    torch.manual_seed(seed)
    model = getattr(torchvision.models, arch)(weights=None)
    randomise_batch_norms(model, torch.Generator().manual_seed(seed + 1))
    model.eval()
    torch.save(model.state_dict(), os.path.join(out_dir, "weights.pth"))

    preprocess = transforms.Compose([
        transforms.Resize(int(round(size * 256 / 224))),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    batch = torch.stack([preprocess(Image.open(p).convert("RGB")) for p in images])
    with torch.no_grad():
        logits = model(batch)
    batch.numpy().astype("<f4").tofile(os.path.join(out_dir, "input.f32"))
    logits.numpy().astype("<f4").tofile(os.path.join(out_dir, "logits.f32"))
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump({"arch": arch, "input_shape": list(batch.shape), "logits_shape": list(logits.shape),
                   "torch": torch.__version__, "torchvision": torchvision.__version__}, f)


if __name__ == "__main__":
    main()
