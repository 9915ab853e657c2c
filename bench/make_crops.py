#!/usr/bin/env python3
"""Builds a larger image folder from a labelled one by re-encoding random crops (issue 18's cost curve).

    make_crops.py SRC OUT COUNT [--seed 42] [--quality 90]

Reads every image of SRC/<split>/<class>/ (or SRC/<class>/), and writes COUNT JPEGs into
OUT/<class>/crop_<n>.jpg, classes in turn: each a random crop (8-100 % of the area, aspect 3/4-4/3)
of a random source image of that class, re-encoded at the given quality. Seeded: the same arguments
give the same files."""
import argparse
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor

from PIL import Image


def sources(src):
    by_class = {}
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            if f.lower().endswith((".jpg", ".jpeg", ".png")):
                by_class.setdefault(os.path.basename(dirpath), []).append(os.path.join(dirpath, f))
    return {c: sorted(v) for c, v in sorted(by_class.items())}


def make(job):
    n, path, out, seed, quality = job
    rng = random.Random(seed * 1_000_003 + n)
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        for _ in range(10):
            area = w * h * rng.uniform(0.08, 1.0)
            aspect = rng.uniform(3 / 4, 4 / 3)
            cw, ch = int(round((area * aspect) ** 0.5)), int(round((area / aspect) ** 0.5))
            if 0 < cw <= w and 0 < ch <= h:
                break
        else:
            cw, ch = w, h
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        im.crop((x, y, x + cw, y + ch)).save(out, "JPEG", quality=quality)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("count", type=int)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--quality", type=int, default=90)
    a = p.parse_args()
    by_class = sources(a.src)
    if len(by_class) < 2:
        sys.exit(f"{a.src}: need at least 2 class folders of images")
    classes = list(by_class)
    rng = random.Random(a.seed)
    jobs = []
    for c in classes:
        os.makedirs(os.path.join(a.out, c), exist_ok=True)
    for n in range(a.count):
        c = classes[n % len(classes)]
        jobs.append((n, rng.choice(by_class[c]), os.path.join(a.out, c, f"crop_{n:06d}.jpg"), a.seed, a.quality))
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        for _ in pool.map(make, jobs, chunksize=256):
            pass
    print(f"{a.count} images from {sum(map(len, by_class.values()))} sources in {len(classes)} classes -> {a.out}")


if __name__ == "__main__":
    main()
