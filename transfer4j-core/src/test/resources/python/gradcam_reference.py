"""Grad-CAM with PyTorch hooks on a random-weight torchvision model, for the Grad-CAM parity test.

Usage: gradcam_reference.py OUT_DIR NAME
Writes into OUT_DIR:
  weights.pth    the model's state_dict (torch.save), batch-norm statistics and affine randomised
  input.f32      a [2, 3, 224, 224] normal(0, 1) batch, float32 little-endian
  targets.txt    the class explained for each image: image 0's predicted class, then class 3
  cam.f32        ReLU(sum_k alpha_k A_k) per image, [2, h, w], A = the last conv map (the input of
                 the global average pool), alpha_k = mean over h, w of d logit[target] / d A_k
Exit code 3 when torch or torchvision is missing.
"""
import os
import sys

try:
    import torch
    import torchvision
    import random_batch_norms
except ImportError as e:
    print("missing package:", e)
    sys.exit(3)


def last_conv_module(model, name):
    """The module whose output is the map the global average pool reads."""
    if name.startswith("resnet"):
        return model.layer4
    if name.startswith("mobilenet_v2"):
        return model.features
    raise ValueError("no feature map known for " + name)


out_dir, name = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = torchvision.models.get_model(name, weights=None).eval()
random_batch_norms.randomise(model)
torch.save(model.state_dict(), os.path.join(out_dir, "weights.pth"))

captured = {}


def hook(module, inputs, output):
    output.retain_grad()
    captured["map"] = output


last_conv_module(model, name).register_forward_hook(hook)
image = torch.randn(2, 3, 224, 224)
logits = model(image)
targets = [int(logits[0].argmax()), 3]
score = logits[0, targets[0]] + logits[1, targets[1]]
score.backward()
feature_map = captured["map"]
alpha = feature_map.grad.mean(dim=(2, 3), keepdim=True)
cam = torch.relu((alpha * feature_map).sum(dim=1))

image.detach().numpy().astype("<f4").tofile(os.path.join(out_dir, "input.f32"))
cam.detach().numpy().astype("<f4").tofile(os.path.join(out_dir, "cam.f32"))
with open(os.path.join(out_dir, "targets.txt"), "w") as f:
    f.write(" ".join(str(t) for t in targets))
print("cam shape", tuple(cam.shape), "max", float(cam.max()), "targets", targets)
