#!/usr/bin/env python3
"""The frozen-backbone transfer-learning recipe as the PyTorch tutorials write it, on CPU.

Two variants, both printing per-epoch train/test loss and accuracy and a final JSON line:
  --variant recipe  features recomputed every epoch (the backbone runs on every batch of every
                    epoch, model.train() during training, DataLoader with no workers) - as written;
  --variant tuned   features computed once under no_grad with DataLoader workers and all threads,
                    cached in memory, then the head is trained on them.
Random backbone weights unless --pretrained is given (timing does not depend on the values).
"""
import argparse
import json
import resource
import time

import torch
from torch import nn, optim
from torchvision import datasets, models, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def backbone_and_head(arch, classes):
    model = getattr(models, arch)(weights=None)
    for p in model.parameters():
        p.requires_grad = False
    width = {"densenet121": 1024, "mobilenet_v2": 1280, "resnet18": 512}[arch]
    head = nn.Sequential(nn.Linear(width, 500), nn.ReLU(), nn.Linear(500, classes), nn.LogSoftmax(dim=1))
    if arch == "densenet121":
        model.classifier = head
    elif arch == "mobilenet_v2":
        model.classifier = head
    else:
        model.fc = head
    return model, head


def loaders(data, batch, workers):
    train_t = transforms.Compose([transforms.RandomRotation(30), transforms.RandomResizedCrop(224),
                                  transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                                  transforms.Normalize(MEAN, STD)])
    test_t = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                 transforms.Normalize(MEAN, STD)])
    train = datasets.ImageFolder(f"{data}/train", transform=train_t)
    test = datasets.ImageFolder(f"{data}/test", transform=test_t)
    return (torch.utils.data.DataLoader(train, batch_size=batch, shuffle=True, num_workers=workers),
            torch.utils.data.DataLoader(test, batch_size=batch, num_workers=workers), len(train.classes))


def run_recipe(args):
    trainloader, testloader, classes = loaders(args.data, args.batch_size, 0)
    model, head = backbone_and_head(args.arch, classes)
    criterion = nn.NLLLoss()
    optimizer = optim.Adam(head.parameters(), lr=0.001)
    history = []
    for epoch in range(args.epochs):
        start = time.time()
        model.train()
        train_loss = 0
        for inputs, labels in trainloader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * len(labels)
        model.eval()
        test_loss, correct, n = 0, 0, 0
        with torch.no_grad():
            for inputs, labels in testloader:
                out = model(inputs)
                test_loss += criterion(out, labels).item() * len(labels)
                correct += (out.argmax(1) == labels).sum().item()
                n += len(labels)
        history.append(epoch_line(epoch, args.epochs, train_loss / len(trainloader.dataset), test_loss / n,
                                  correct / n, time.time() - start))
    return history


def run_tuned(args):
    trainloader, testloader, classes = loaders(args.data, args.batch_size, args.workers)
    # the tuned variant uses the deterministic test transform for training features, as a cache must
    trainloader.dataset.transform = testloader.dataset.transform
    model, head = backbone_and_head(args.arch, classes)
    if args.arch == "resnet18":
        model.fc = nn.Identity()
    else:
        model.classifier = nn.Identity()
    model.eval()

    def features(loader):
        xs, ys = [], []
        with torch.no_grad():
            for inputs, labels in loader:
                xs.append(model(inputs))
                ys.append(labels)
        return torch.cat(xs), torch.cat(ys)

    xtr, ytr = features(trainloader)
    xte, yte = features(testloader)
    criterion = nn.NLLLoss()
    optimizer = optim.Adam(head.parameters(), lr=0.001)
    history = []
    for epoch in range(args.epochs):
        start = time.time()
        head.train()
        perm = torch.randperm(len(ytr))
        train_loss = 0
        for i in range(0, len(ytr), 64):
            idx = perm[i:i + 64]
            optimizer.zero_grad()
            loss = criterion(head(xtr[idx]), ytr[idx])
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * len(idx)
        head.eval()
        with torch.no_grad():
            out = head(xte)
            test_loss = criterion(out, yte).item()
            acc = (out.argmax(1) == yte).float().mean().item()
        history.append(epoch_line(epoch, args.epochs, train_loss / len(ytr), test_loss, acc, time.time() - start))
    return history


def epoch_line(epoch, epochs, train_loss, test_loss, acc, seconds):
    print(f"epoch {epoch + 1}/{epochs}  train_loss {train_loss:.4f}  test_loss {test_loss:.4f}  "
          f"accuracy {acc:.4f}  {seconds:.1f}s", flush=True)
    return {"epoch": epoch + 1, "train_loss": train_loss, "test_loss": test_loss, "accuracy": acc,
            "seconds": seconds}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--arch", default="mobilenet_v2")
    p.add_argument("--variant", choices=["recipe", "tuned"], default="recipe")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    start = time.time()
    history = run_recipe(args) if args.variant == "recipe" else run_tuned(args)
    wall = time.time() - start
    rss_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"variant": args.variant, "arch": args.arch, "epochs": args.epochs, "wall_s": wall,
                      "accuracy": history[-1]["accuracy"], "peak_rss_mb": rss_kb / 1024}))


if __name__ == "__main__":
    main()
