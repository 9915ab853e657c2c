"""Reference decoding and preprocessing with PIL + torchvision, for PreprocessingParityTest.

usage: preprocess_reference.py OUT_DIR RECIPE FILE...
  RECIPE: "imagenet" (Resize(256), CenterCrop(224), ImageNet mean/std) or "tf<size>" (Resize((size, size)),
          [-1, 1]).
Writes OUT_DIR/<i>.rgb (H x W x 3 uint8, as torchvision's pil_loader decodes), OUT_DIR/<i>.f32 (3 x C x C
float32 little-endian tensor) and OUT_DIR/meta.json ([{file, width, height}]).
"""
import json
import sys

import numpy as np
from PIL import Image
from torchvision import transforms as T


def recipe(name):
    if name == "imagenet":
        return T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                          T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    if name.startswith("tf"):
        size = int(name[2:])
        return T.Compose([T.Resize((size, size)), T.CenterCrop(size), T.ToTensor(),
                          T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
    raise SystemExit("unknown recipe " + name)


def main():
    out, name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    transform = recipe(name)
    meta = []
    for i, f in enumerate(files):
        with open(f, "rb") as fh:  # torchvision.datasets.folder.pil_loader
            img = Image.open(fh).convert("RGB")
        np.asarray(img, dtype=np.uint8).tofile(f"{out}/{i}.rgb")
        transform(img).numpy().astype("<f4").tofile(f"{out}/{i}.f32")
        meta.append({"file": f, "width": img.width, "height": img.height})
    with open(f"{out}/meta.json", "w") as fh:
        json.dump(meta, fh)


if __name__ == "__main__":
    main()
