"""Lists torchvision's ImageFolder samples of a folder as JSON: {"classes": [...], "samples": [[path, index], ...]}.

usage: imagefolder_reference.py FOLDER
"""
import json
import sys

from torchvision.datasets import ImageFolder

folder = ImageFolder(sys.argv[1])
print(json.dumps({"classes": folder.classes, "samples": folder.samples}))
