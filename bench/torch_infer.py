#!/usr/bin/env python3
"""Backbone inference images/s in PyTorch (eval, no_grad), batch 32, 224x224, N threads.

Prints one JSON line per backbone: {"backbone": ..., "images_per_s": ...}.
"""
import argparse
import json
import time

import torch
from torchvision import models


def main():
    p = argparse.ArgumentParser()
    p.add_argument("backbones", nargs="+")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=20.0, help="time budget per backbone")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    x = torch.randn(args.batch, 3, 224, 224)
    for name in args.backbones:
        model = getattr(models, name)(weights=None).eval()
        with torch.no_grad():
            model(x)  # warm-up
            runs, start = 0, time.time()
            while runs < 2 or (time.time() - start < args.seconds and runs < 20):
                model(x)
                runs += 1
            elapsed = time.time() - start
        print(json.dumps({"backbone": name, "images_per_s": runs * args.batch / elapsed, "batches": runs}), flush=True)


if __name__ == "__main__":
    main()
