"""Shared by the reference scripts: batch-norm statistics and affine parameters randomised, so that their
mapping is tested too (a fresh torchvision model has the identity there)."""
import torch


def randomise(model):
    """Draws every BatchNorm2d's weight, bias, running mean and running variance (the sequence of random
    draws, and so the values for a given seed, is what the reference scripts always used)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
