#!/usr/bin/env python3
"""Table (Markdown) and curve (PNG) of bench/cost_curve.sh's rows: cost_curve_report.py ROWS BASE MACHINE."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    rows_file, base, machine = sys.argv[1:4]
    rows = [json.loads(line) for line in open(rows_file)]
    first = rows[0]
    per_image_ms = lambda r: 1000 * r["wall_s"] / r["images"]  # noqa: E731
    out = [f"# Cost curve: `train` from 2k to 50k images ({machine})", "",
           "`bench/cost_curve.sh`: `transfer4j train FOLDER --weights-dir ../shared/pretrained --threads 2` (the "
           "default backbone, default head, 10 epochs, report included) on folders of random crops of the cats_dogs photos, re-encoded as JPEG (seed 42), "
           "each with an empty feature cache. Flat folders: 20 % test (scored by model.onnx from the images), "
           "10 % of the rest validation.", "",
           "| images | wall s | ms per image | vs smallest | peak RSS MiB | heap after GC, max / committed MiB | cache files | cache MiB (on disk) "
           "| backbone pass s | backbone images/s |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        fs = r.get("features_s")
        out.append(f"| {r['images']} | {r['wall_s']:.1f} | {per_image_ms(r):.2f} | "
                   f"{per_image_ms(r) / per_image_ms(first):.2f}× | {r['peak_rss_kb'] / 1024:.0f} | "
                   f"{r['heap_after_gc_max_mb']} / {r['heap_committed_max_mb']} | "
                   f"{r['cache_files']} | {r['cache_bytes'] / 2**20:.1f} ({r['cache_disk_bytes'] / 2**20:.1f}) | "
                   f"{fs if fs is not None else '?'} | {r['images'] / fs if fs else float('nan'):.1f} |")
    out += ["", "Peak RSS came after these log lines (the RSS sampled every second; rss<N>.tsv in the logs):", ""]
    out += [f"- {r['images']} images: `{r['peak_after']}`" for r in rows if r.get("peak_after")]
    last = rows[-1]
    out += ["", f"Time per image at {last['images']} images: {per_image_ms(last) / per_image_ms(first):.2f}× that at "
            f"{first['images']} (target within 15 %); peak RSS at {last['images']}: "
            f"{last['peak_rss_kb'] / 2**20:.2f} GiB (target ≤ 2 GiB). The curve: [{base.split('/')[-1]}.png]"
            f"({base.split('/')[-1]}.png)."]
    open(base + ".md", "w").write("\n".join(out) + "\n")

    n = [r["images"] for r in rows]
    fig, ax = plt.subplots(1, 3, figsize=(13, 3.8))
    ax[0].plot(n, [r["wall_s"] for r in rows], "o-")
    ax[0].set(title="train wall time", xlabel="images", ylabel="s", ylim=(0, None))
    ax[1].plot(n, [per_image_ms(r) for r in rows], "o-")
    ax[1].set(title="wall time per image", xlabel="images", ylabel="ms", ylim=(0, None))
    ax[2].plot(n, [r["peak_rss_kb"] / 1024 for r in rows], "o-", label="peak RSS")
    ax[2].plot(n, [r["cache_disk_bytes"] / 2**20 for r in rows], "s-", label="feature cache on disk")
    ax[2].axhline(2048, color="grey", linestyle="--", linewidth=1, label="2 GiB")
    top = max([2048] + [r["peak_rss_kb"] / 1024 for r in rows]) * 1.08  # the 2 GiB line in view
    ax[2].set(title="memory and disk", xlabel="images", ylabel="MiB", ylim=(0, top))
    ax[2].legend()
    for a in ax:
        a.set_xlim(0, None)
        a.grid(True, alpha=0.3)
    fig.suptitle(f"transfer4j train (default backbone), cold cache, {machine}")
    fig.tight_layout()
    fig.savefig(base + ".png", dpi=110)


if __name__ == "__main__":
    main()
