#!/usr/bin/env bash
# Few labels, many images (issue 16): a simulation on the shared data sets, labels hidden and revealed on request.
#   flock /work/build.lock bench/semi.sh [DATASET ...]   (default: cats_dogs hymenoptera fashion_mnist_small)
#   SEEDS="1 2 3" (default)
# Per data set and seed (bench/SemiBench.java): 5 and 20 labelled images per class, the rest of the training
# split unlabeled: test accuracy of the plain head, of --semi spread and of --semi pseudo (choices on the
# validation split carved from the labelled images); then active learning from 2 labelled images per class,
# 5 rounds of 10 (suggest's ranking against random picks), the head retrained each round.
# Features come from the feature cache ($TRANSFER4J_HOME/features, default ~/.cache/transfer4j/features).
# Writes bench/results/<date>-semi-<machine>.md (+ .tsv with every run, + -al.png with the curves).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sets=("$@")
(( ${#sets[@]} )) || sets=(cats_dogs hymenoptera fashion_mnist_small)
read -r -a seeds <<< "${SEEDS:-1 2 3}"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
home="${TRANSFER4J_HOME:-$HOME/.cache/transfer4j}"
py=/usr/bin/python3
./transfer4j --version >/dev/null   # build first
cp="transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt)"
export TRANSFER4J_OFFLINE=1
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tag="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | awk '{print tolower($1 "-" $2)}')"
partial=""
[[ ${#sets[@]} -lt 3 || ${#seeds[@]} -lt 3 ]] && partial="partial-"
base="bench/results/$(date +%Y-%m-%d)-semi-$partial$tag"
: > "$base.tsv"
start=$(date +%s)
for data in "${sets[@]}"; do
  dir="$shared/datasets/$data"
  [[ -d "$dir" ]] || { echo "no data set at $dir" >&2; exit 2; }
  java -Xmx6g -Dai.djl.offline=true -cp "$cp" bench/SemiBench.java "$shared/pretrained" "$home/features" "$dir" \
    "${seeds[@]}" | tee -a "$base.tsv"
done
seconds=$(( $(date +%s) - start ))

$py - "$base.tsv" "$base-al.png" "$machine" "$(git rev-parse --short HEAD)" "$seconds" "SEEDS=\"${seeds[*]}\" bench/semi.sh ${sets[*]}" \
  > "$base.md" <<'PY'
import statistics as st, sys
tsv, png, machine, commit, seconds, command = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(tsv) if l.strip()]
semi = [r for r in rows if r[0] == "semi"]
al = [r for r in rows if r[0] == "al"]
def ms(v):
    return f"{st.mean(v):.4f} ± {st.stdev(v):.4f}" if len(v) > 1 else f"{v[0]:.4f}"
print("# Few labels, many images: semi-supervised heads and label suggestions (simulation)\n")
print(f"Machine: {machine}. Commit {commit}. Command: `{command}` ({seconds} s, features from the cache).\n")
print("Test accuracy, mean ± standard deviation over the seeds; Δ = method − plain head, in points, mean over "
      "seeds (worst seed in brackets). The validation split (max(1, round(0.1 L)) of the L labelled images per "
      "class) makes every choice; the test split is scored once per run.\n")
print("| data set | labels/class | seeds | plain head | spread | Δ spread (worst) | pseudo | Δ pseudo (worst) |")
print("|---|---|---|---|---|---|---|---|")
by = {}
for r in semi:
    by.setdefault((r[1], int(r[3])), {}).setdefault(r[4], {})[r[2]] = float(r[5])
for (data, L), m in by.items():
    seeds = sorted(m["plain"])
    cells = [data, str(L), str(len(seeds)), ms([m["plain"][s] for s in seeds])]
    for method in ("spread", "pseudo"):
        d = [100 * (m[method][s] - m["plain"][s]) for s in seeds]
        cells += [ms([m[method][s] for s in seeds]), f"{st.mean(d):+.2f} ({min(d):+.2f})"]
    print("| " + " | ".join(cells) + " |")
print("\nChoices made on the validation split (per run):\n")
for r in semi:
    if r[4] != "plain":
        print(f"- {r[1]} seed {r[2]}, {r[3]}/class, {r[4]}: {r[7]} ({r[6]} s)")
print("\n## Active learning: 2 labelled images per class, then 5 rounds of 10\n")
print("Test accuracy after each round (mean over seeds) and the area under the curve (trapezoid over the "
      "6 points, divided by 5 rounds: the mean accuracy across the rounds), per seed then mean.\n")
print("| data set | strategy | accuracy by labelled images | AUC per seed | mean AUC |")
print("|---|---|---|---|---|")
curves = {}
for r in al:
    curves.setdefault((r[1], r[3]), {}).setdefault(r[2], []).append((int(r[4]), float(r[5])))
def auc(points):
    points = sorted(points)
    return sum((a[1] + b[1]) / 2 for a, b in zip(points, points[1:])) / (len(points) - 1)
summary = {}
for (data, strategy), per_seed in curves.items():
    seeds = sorted(per_seed)
    n = [p[0] for p in sorted(per_seed[seeds[0]])]
    mean = [st.mean(sorted(per_seed[s])[i][1] for s in seeds) for i in range(len(n))]
    aucs = [auc(per_seed[s]) for s in seeds]
    summary[(data, strategy)] = (n, mean, aucs)
    print(f"| {data} | {strategy} | " + ", ".join(f"{k}: {a:.3f}" for k, a in zip(n, mean)) + " | "
          + ", ".join(f"{a:.4f}" for a in aucs) + f" | {st.mean(aucs):.4f} |")
print()
for data in dict.fromkeys(d for d, _ in summary):
    if (data, "suggest") in summary and (data, "random") in summary:
        s, r = st.mean(summary[(data, "suggest")][2]), st.mean(summary[(data, "random")][2])
        print(f"- {data}: suggest {'above' if s > r else 'not above'} random ({s:.4f} vs {r:.4f}, {100 * (s - r):+.2f} points)")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    datas = list(dict.fromkeys(d for d, _ in summary))
    fig, axes = plt.subplots(1, len(datas), figsize=(5 * len(datas), 3.8), squeeze=False)
    for ax, data in zip(axes[0], datas):
        for strategy, style in (("suggest", "o-"), ("random", "s--")):
            if (data, strategy) in summary:
                n, mean, aucs = summary[(data, strategy)]
                ax.plot(n, mean, style, label=f"{strategy} (AUC {st.mean(aucs):.3f})")
        ax.set_title(data)
        ax.set_xlabel("labelled images")
        ax.set_ylabel("test accuracy (mean over seeds)")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    print(f"\nCurves: [{png.split('/')[-1]}]({png.split('/')[-1]})")
except ImportError:
    print("\n(no PNG: python3-matplotlib is missing)")
PY
cat "$base.md"
echo "written to $base.md, $base.tsv and $base-al.png" >&2
