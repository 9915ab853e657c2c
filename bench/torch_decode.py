#!/usr/bin/env python3
"""Decode + preprocess images/s with PIL + torchvision transforms (Resize 256, CenterCrop 224,
ToTensor, Normalize) over a dataset: 1 process, and a DataLoader with N workers."""
import argparse
import json
import time

import torch
from torchvision import datasets, transforms


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("workers", nargs="+", type=int)
    args = p.parse_args()
    torch.set_num_threads(1)
    t = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    sets = [datasets.ImageFolder(f"{args.data}/{s}", transform=t) for s in ("train", "test")]
    data = torch.utils.data.ConcatDataset(sets)
    for workers in args.workers:
        loader = torch.utils.data.DataLoader(data, batch_size=32, num_workers=workers)
        start, n = time.time(), 0
        for x, _ in loader:
            n += len(x)
        elapsed = time.time() - start
        print(json.dumps({"workers": workers, "images": n, "images_per_s": n / elapsed}), flush=True)


if __name__ == "__main__":
    main()
