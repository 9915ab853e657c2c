#!/usr/bin/env python3
"""Writes a torchvision architecture with random weights as a .pth state_dict (for timing runs)."""
import sys

import torch
from torchvision import models

torch.manual_seed(0)
torch.save(getattr(models, sys.argv[1])(weights=None).state_dict(), sys.argv[2])
