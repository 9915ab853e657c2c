#!/usr/bin/env python3
"""Turns one bench/run.sh result folder into bench/results/<date>-<machine>.json and .md, with ratios."""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

# Forward-pass FLOPs per 224x224 image (2 x multiply-adds), from the architectures' papers/torchvision.
GFLOPS = {"mobilenet_v2": 0.60, "resnet18": 3.64, "resnet50": 8.18, "densenet121": 5.70, "vgg16": 30.94}


def jsonl(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip().startswith("{")]


def timed(out, name):
    path = os.path.join(out, name + ".time")
    if not os.path.exists(path):
        return None
    t = json.load(open(path))
    kib = t.pop("peak_rss_kb", None) or t.pop("peak_rss_mb")  # GNU time's %M is in KiB
    t["peak_rss_mb"] = round(kib / 1024, 1)
    log = open(os.path.join(out, name + ".log")).read()
    acc = re.findall(r"accuracy ([0-9.]+)", log)
    t["accuracy"] = float(acc[-1]) if acc else None
    return t


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mhz = max((float(l.split(":")[1]) for l in open("/proc/cpuinfo") if l.startswith("cpu MHz")), default=0)
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    import torch
    return {"cpu": cpu, "cores": os.cpu_count(), "mhz": mhz, "memory_gb": mem, "java": java,
            "pytorch": torch.__version__, "os": platform.platform(), "djl": "0.36.0 (libtorch 2.7.1)",
            "onnxruntime": "1.20.0"}


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def main():
    out, mode, recipe_epochs, dense_epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    m = machine()
    peak_gflops = m["cores"] * 32 * m["mhz"] / 1000  # AVX2 FMA fp32: 32 FLOP/cycle/core
    r = {"mode": mode, "date": datetime.date.today().isoformat(), "machine": m, "rows": {}}

    dj, dt = jsonl(f"{out}/decode_java.jsonl"), jsonl(f"{out}/decode_torch.jsonl")
    r["rows"]["decode"] = [{"threads": j["threads"], "pass": j.get("pass", ""), "transfer4j": j["images_per_s"],
                            "pil_torchvision": t["images_per_s"], "ratio": ratio(j["images_per_s"], t["images_per_s"])}
                           for j, t in zip(dj, dt)]

    inf = jsonl(f"{out}/infer.jsonl")
    rows = []
    for b in dict.fromkeys(x["backbone"] for x in inf):
        get = lambda ex: next((x["images_per_s"] for x in inf if x["backbone"] == b and x["executor"] == ex), None)
        ort, torch_ips, djl = get("onnxruntime"), get("pytorch"), get("djl-libtorch")
        rows.append({"backbone": b, "onnxruntime": ort, "djl_libtorch": djl, "pytorch": torch_ips,
                     "ort_vs_pytorch": ratio(ort, torch_ips), "flop_limit": round(peak_gflops / GFLOPS[b], 1) if b in GFLOPS else None})
    r["rows"]["inference"] = rows

    cold, warm = timed(out, "t4j_cold"), timed(out, "t4j_warm")
    tuned, recipe = timed(out, "torch_tuned"), timed(out, "torch_recipe")
    recipe_10 = recipe["wall_s"] * 10 / recipe_epochs if recipe else None
    r["rows"]["frozen_workflow"] = {
        "transfer4j_cold": cold, "transfer4j_warm_cache_other_head": warm, "pytorch_tuned": tuned,
        "pytorch_recipe": recipe, "pytorch_recipe_epochs_measured": recipe_epochs,
        "pytorch_recipe_10_epochs_s": recipe_10,
        "warm_over_cold": ratio(warm and warm["wall_s"], cold and cold["wall_s"]),
        "recipe_over_transfer4j": ratio(recipe_10, cold and cold["wall_s"]),
        "tuned_over_transfer4j": ratio(tuned and tuned["wall_s"], cold and cold["wall_s"]),
        "rss_transfer4j_over_tuned": ratio(cold and cold["peak_rss_mb"], tuned and tuned["peak_rss_mb"])}
    dense, dense_recipe = timed(out, "t4j_dense"), timed(out, "torch_dense_recipe")
    if dense and dense_recipe:
        d10 = dense_recipe["wall_s"] * 10 / dense_epochs
        r["rows"]["frozen_workflow_densenet121"] = {"transfer4j": dense, "pytorch_recipe": dense_recipe,
                                                    "pytorch_recipe_epochs_measured": dense_epochs,
                                                    "pytorch_recipe_10_epochs_s": d10,
                                                    "recipe_over_transfer4j": ratio(d10, dense["wall_s"])}
    lat = jsonl(f"{out}/latency.jsonl")
    r["rows"]["latency"] = {"warm": lat[0] if lat else None, "cli_cold_start": timed(out, "cli_cold")}
    if os.path.exists(f"{out}/finetune.txt"):
        r["rows"]["finetune_step"] = [l.strip() for l in open(f"{out}/finetune.txt") if l.strip()]

    name = f"{r['date']}-{mode}-{m['cores']}c-{re.sub('[^a-z0-9]+', '-', m['cpu'].lower()).strip('-')[:40]}"
    os.makedirs("bench/results", exist_ok=True)
    json.dump(r, open(f"bench/results/{name}.json", "w"), indent=2)
    md = markdown(r)
    open(f"bench/results/{name}.md", "w").write(md)
    print(md)
    print(f"written bench/results/{name}.json and .md")


def fmt(v, unit=""):
    if v is None:
        return "–"
    return f"{v:.1f}{unit}" if isinstance(v, float) else f"{v}{unit}"


def markdown(r):
    m = r["machine"]
    s = [f"# Benchmark {r['date']} ({r['mode']})", "",
         f"Machine: {m['cpu']}, {m['cores']} cores at {m['mhz']:.0f} MHz, {m['memory_gb']} GiB; {m['java']}; "
         f"PyTorch {m['pytorch']} (Debian); DJL {m['djl']}; ONNX Runtime {m['onnxruntime']}; {m['os']}.", "",
         "## Decode + preprocess, cats_dogs (1500 JPEGs), images/s", "",
         "| threads / workers | transfer4j | PIL + torchvision | ratio |", "|---|---|---|---|"]
    for d in r["rows"]["decode"]:
        s.append(f"| {d['threads']} {d.get('pass', '')} | {fmt(d['transfer4j'])} | {fmt(d['pil_torchvision'])} | {fmt(d['ratio'])}× |")
    s += ["", "## Backbone inference, batch 32, 224², 2 threads, images/s", "",
          "| backbone | ONNX Runtime | DJL + libtorch | PyTorch | ORT / PyTorch | FLOP limit |", "|---|---|---|---|---|---|"]
    for i in r["rows"]["inference"]:
        s.append(f"| {i['backbone']} | {fmt(i['onnxruntime'])} | {fmt(i['djl_libtorch'])} | {fmt(i['pytorch'])} | "
                 f"{fmt(i['ort_vs_pytorch'])}× | {fmt(i['flop_limit'])} |")
    f = r["rows"]["frozen_workflow"]
    row = lambda name, t, note="": f"| {name} | {fmt(t and t['wall_s'], ' s')} | {'–' if not t or t['accuracy'] is None else format(t['accuracy'], '.4f')} | {fmt(t and t['peak_rss_mb'] / 1024, ' GiB') if t else '–'} | {note} |"
    s += ["", "## Frozen workflow on cats_dogs, MobileNetV2, 10 epochs, end to end", "",
          "| run | wall | test accuracy | peak RSS | note |", "|---|---|---|---|---|",
          row("transfer4j train (cold cache)", f["transfer4j_cold"], "real TFLite weights"),
          row("transfer4j train (warm cache, another head)", f["transfer4j_warm_cache_other_head"]),
          row("PyTorch tuned (features once, in memory)", f["pytorch_tuned"], "random weights"),
          row(f"PyTorch recipe as written ({f['pytorch_recipe_epochs_measured']} epochs measured)", f["pytorch_recipe"], "random weights"),
          "", f"- warm / cold: {fmt(f['warm_over_cold'])} (target ≤ 0.2)",
          f"- recipe / transfer4j: {fmt(f['recipe_over_transfer4j'])}× (target ≥ 10×; recipe time for 10 epochs: {fmt(f['pytorch_recipe_10_epochs_s'], ' s')}"
          + (", extrapolated linearly from the measured epochs)" if f['pytorch_recipe_epochs_measured'] < 10 else ")"),
          f"- tuned PyTorch / transfer4j: {fmt(f['tuned_over_transfer4j'])}× (target ≥ 1.5×)",
          f"- peak RSS transfer4j / tuned PyTorch: {fmt(f['rss_transfer4j_over_tuned'])} (target ≤ 1)"]
    d = r["rows"].get("frozen_workflow_densenet121")
    if d:
        s += ["", "## Frozen workflow on cats_dogs, DenseNet-121 (random weights), 10 epochs", "",
              f"- transfer4j: {fmt(d['transfer4j']['wall_s'], ' s')}, peak RSS {fmt(d['transfer4j']['peak_rss_mb'] / 1024, ' GiB')}",
              f"- PyTorch recipe: {fmt(d['pytorch_recipe']['wall_s'], ' s')} for {d['pytorch_recipe_epochs_measured']} epochs, "
              f"{fmt(d['pytorch_recipe_10_epochs_s'], ' s')} for 10 (extrapolated linearly)",
              f"- recipe / transfer4j: {fmt(d['recipe_over_transfer4j'])}× (target ≥ 10×)"]
    lat = r["rows"]["latency"]
    if lat["warm"]:
        s += ["", "## Prediction", "", f"- warm single-image latency (decode + preprocess + ORT): p50 {lat['warm']['p50_ms']} ms, p99 {lat['warm']['p99_ms']} ms",
              f"- CLI cold start (`transfer4j predict` of one image, JVM start included): {fmt(lat['cli_cold_start'] and lat['cli_cold_start']['wall_s'], ' s')}"]
    if "finetune_step" in r["rows"]:
        s += ["", "## Fine-tuning step, batch 32", "", "```"] + r["rows"]["finetune_step"] + ["```"]
    return "\n".join(s) + "\n"


if __name__ == "__main__":
    main()
