"""Writes, for each torchvision model named, OUT_DIR/NAME.json with its state_dict keys and shapes.

Usage: state_dict_shapes.py OUT_DIR NAME...
JSON: {"keys": [[key, [dims...]], ...] in state_dict order without num_batches_tracked,
       "num_params": sum of numel over model.parameters(),
       "published_params": the num_params in torchvision's DEFAULT weights meta data}
"""
import json
import os
import sys

import torch
import torchvision

out_dir = sys.argv[1]
for name in sys.argv[2:]:
    model = torchvision.models.get_model(name, weights=None)
    keys = [[k, list(v.shape)] for k, v in model.state_dict().items()
            if not k.endswith("num_batches_tracked")]
    published = torchvision.models.get_model_weights(name).DEFAULT.meta["num_params"]
    doc = {
        "keys": keys,
        "num_params": sum(p.numel() for p in model.parameters()),
        "published_params": published,
    }
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(doc, f)
