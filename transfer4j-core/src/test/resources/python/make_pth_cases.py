"""Small real torch.save / np.savez files for the weight-reader tests.

Usage: make_pth_cases.py OUT_DIR. Values are arange-based so the Java test can compute them.
Exits with 3 when torch is not installed.
"""
import collections
import os
import sys

try:
    import numpy as np
    import torch
except ImportError as e:
    print("missing Python package: %s" % e, file=sys.stderr)
    sys.exit(3)

out = sys.argv[1]

# Every dtype, a view with a storage offset, a scalar, definition order unlike name order, and
# more than ten storages so "10" must sort after "9".
base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
sd = collections.OrderedDict()
sd["zeta.weight"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)
sd["alpha.half"] = torch.arange(4, dtype=torch.float16) * 0.5
sd["mid.double"] = torch.arange(3, dtype=torch.float64) / 4
sd["bf.bfloat16"] = torch.arange(3, dtype=torch.bfloat16) * 2
sd["count"] = torch.tensor(7, dtype=torch.int64)
sd["view.row1"] = base[1]
for i in range(9, -1, -1):
    sd["k%d" % i] = torch.full((2,), float(i))
torch.save(sd, os.path.join(out, "dtypes.pth"))

# A training checkpoint of a DataParallel model, optimizer state included.
net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
net(torch.randn(4, 3)).sum().backward()
opt.step()
wrapped = {"module." + k: v for k, v in net.state_dict().items()}
torch.save({"epoch": 3, "state_dict": collections.OrderedDict(wrapped), "optimizer": opt.state_dict(),
            "best_acc": 0.5}, os.path.join(out, "checkpoint.pth"))
torch.save(net.state_dict(), os.path.join(out, "plain.pth"))

# Not contiguous.
torch.save({"w": torch.arange(6, dtype=torch.float32).reshape(2, 3).t()}, os.path.join(out, "transposed.pth"))

# A whole pickled module instead of a state_dict (its class is a global that must be refused).
torch.save(torch.nn.Linear(2, 2), os.path.join(out, "whole_module.pth"))

# Keys of a ResNet beside one mis-shaped MobileNetV2 key.
torch.save(collections.OrderedDict([
    ("conv1.weight", torch.zeros(64, 3, 7, 7)),
    ("bn1.weight", torch.ones(64)),
    ("fc.weight", torch.zeros(1000, 512)),
    ("classifier.1.weight", torch.zeros(10, 1280)),
]), os.path.join(out, "resnetish.pth"))

np.savez(os.path.join(out, "arrays.npz"), first=np.arange(6, dtype=np.float32).reshape(2, 3),
         second=np.arange(3, dtype=np.float16), third=np.arange(2, dtype=np.int64))
