"""Parity reference for one torchvision architecture.

Preprocesses the given photos the torchvision way, builds the model with random weights under a
fixed seed, randomises every BatchNorm (affine parameters random, running statistics calibrated on
the batch then perturbed, so BN is no identity yet activations stay of order one), gives the
classifier unit gain and then scales its last layer so that the logits on the batch have standard
deviation one (they differ between photos and stay of order one), saves the state_dict
with torch.save and runs the model in eval mode.

Usage: make_reference.py ARCH OUT_DIR SIZE SEED IMAGE...
Writes to OUT_DIR: weights.pth, input.f32 and logits.f32 (raw little-endian float32, C order),
logits.f64 (the same model run in float64: the exact function, little-endian float64) and
meta.json with their shapes. Exits with 3 when torch or torchvision is not installed.
"""
import copy
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


def randomise_batch_norms(model, generator, batch):
    """Random BatchNorm affine parameters, running statistics calibrated then perturbed.

    The affine parameters are drawn first and the statistics then measured in training mode on
    the image batch, so every layer sees the activations it will see in eval mode and their scale stays
    of order one through the whole depth (with torchvision's init and unit statistics activations
    fade and all images give nearly the same logits; with uncalibrated random statistics they
    blow up). A small perturbation afterwards keeps BN from being an exact batch normalisation.
    """
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in bns:
            n = m.num_features
            m.weight.copy_(0.5 + torch.rand(n, generator=generator))
            m.bias.copy_(0.2 * torch.randn(n, generator=generator))
            m.reset_running_stats()
            m.momentum = None
        model.train()
        model(batch)
        for m in bns:
            n = m.num_features
            m.running_mean.add_(0.1 * torch.randn(n, generator=generator) * m.running_var.sqrt())
            m.running_var.mul_(torch.exp(0.2 * torch.randn(n, generator=generator)))
    model.eval()


def widen_linear_layers(model, generator):
    """Gives classifier layers unit gain (torchvision draws them with std 0.01: logits near zero)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                m.weight.copy_(torch.randn(m.weight.shape, generator=generator) / m.in_features ** 0.5)
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=generator))


def scale_logits(model, batch):
    """Scales the last linear layer so that the logits on the batch have standard deviation one.

    Unit-gain classifiers still give logits up to 13 (ResNet-101, whose residual stream grows with
    depth) or 31 (EfficientNet-B0); float32 rounding is relative, so there an exact model differs from
    PyTorch by 3e-4. With logits of order one, a 1e-4 absolute bound tests the architecture, not the
    logit scale.
    """
    last = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if not last:
        return
    with torch.no_grad():
        std = model(batch).std()
        last[-1].weight.div_(std)
        last[-1].bias.div_(std)


def main():
    arch, out_dir, size, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    images = sys.argv[5:]
    preprocess = transforms.Compose([
        transforms.Resize(int(round(size * 256 / 224))),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    batch = torch.stack([preprocess(Image.open(p).convert("RGB")) for p in images])

    torch.manual_seed(seed)
    # Auxiliary classifiers only run in training mode and are not part of a backbone.
    options = {"aux_logits": False, "init_weights": True} if arch in ("googlenet", "inception_v3") else {}
    model = getattr(torchvision.models, arch)(weights=None, **options)
    generator = torch.Generator().manual_seed(seed + 1)
    widen_linear_layers(model, generator)
    randomise_batch_norms(model, generator, batch)
    scale_logits(model, batch)
    torch.save(model.state_dict(), os.path.join(out_dir, "weights.pth"))

    with torch.no_grad():
        logits = model(batch)
        exact = copy.deepcopy(model).double()(batch.double())
    batch.numpy().astype("<f4").tofile(os.path.join(out_dir, "input.f32"))
    logits.numpy().astype("<f4").tofile(os.path.join(out_dir, "logits.f32"))
    exact.numpy().astype("<f8").tofile(os.path.join(out_dir, "logits.f64"))
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump({"arch": arch, "input_shape": list(batch.shape), "logits_shape": list(logits.shape),
                   "torch": torch.__version__, "torchvision": torchvision.__version__}, f)


if __name__ == "__main__":
    main()
