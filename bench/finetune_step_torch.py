"""One fine-tuning step (batch 32, forward + backward + Adam) of the top blocks in PyTorch, from the
input image (frozen part recomputed without autograd) and from cached activations at the cut.
Usage: /usr/bin/python3 bench/finetune_step_torch.py ARCH UNFREEZE [STEPS]"""
import sys
import time
import torch
import torchvision

arch, unfreeze = sys.argv[1], int(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 6
torch.set_num_threads(2)
torch.manual_seed(1)
net = getattr(torchvision.models, arch)()
if arch.startswith("mobilenet"):
    blocks = list(net.features.children())  # features.0 = stem, blocks 1..18
    lower = torch.nn.Sequential(*blocks[:len(blocks) - unfreeze])
    upper = torch.nn.Sequential(*blocks[len(blocks) - unfreeze:], torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                torch.nn.Linear(1280, 2))
else:
    # one block per residual block, as transfer4j's BlockBoundaries: --unfreeze 2 is layer4
    blocks = [net.conv1, net.bn1, net.relu, net.maxpool,
              *net.layer1, *net.layer2, *net.layer3, *net.layer4]
    lower = torch.nn.Sequential(*blocks[:len(blocks) - unfreeze])
    upper = torch.nn.Sequential(*blocks[len(blocks) - unfreeze:], torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                torch.nn.Linear(512, 2))
for p in lower.parameters():
    p.requires_grad_(False)
lower.eval()
upper.train()
opt = torch.optim.Adam(upper.parameters(), lr=1e-4)
x = torch.randn(32, 3, 224, 224)
y = torch.zeros(32, dtype=torch.long)
with torch.no_grad():
    cut = lower(x)
print(arch, "unfreeze", unfreeze, "cut", tuple(cut.shape[1:]))
for mode in ("from-cut", "from-input"):
    times = []
    for s in range(steps + 2):
        start = time.perf_counter()
        if mode == "from-input":
            with torch.no_grad():
                a = lower(x)
        else:
            a = cut
        loss = torch.nn.functional.cross_entropy(upper(a), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if s >= 2:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print("python-torch %s %s step ms: median %.0f  min %.0f  max %.0f" % (arch, mode, times[len(times) // 2], times[0], times[-1]))
