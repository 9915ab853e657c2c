#!/usr/bin/env bash
# Does `transfer4j rank` pick the backbone that trains best? (issue 14)
#   bench/rank.sh [DATASET...]   (default: hymenoptera cats_dogs fashion_mnist_small)
#   BACKBONES=a,b  (default: local = every backbone with weights in ../shared/pretrained)
#   SEEDS="1 2 3"  (default)
# Per data set: `rank` every backbone (cold feature cache), then train each one frozen (default head)
# with every seed (its own cold cache, shared by the seeds); the manifest's run.test.accuracy is the
# test accuracy, scored once. Then weighted Kendall τ and Spearman ρ between each score (LogME, kNN,
# ImageNet top-1, the provisional top-1 + LogME rule) and the mean test accuracy, and rank's seconds
# against the seconds all the training took. Writes bench/results/<date>-rank-<machine>.md (a run
# with fewer data sets, backbones or seeds than the defaults writes ...-rank-partial-<machine>.md).
# The full run takes hours on 2 cores; run it on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
datasets=("$@")
(( ${#datasets[@]} )) || datasets=(hymenoptera cats_dogs fashion_mnist_small)
backbones="${BACKBONES:-local}"
read -r -a seeds <<< "${SEEDS:-1 2 3}"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
py=/usr/bin/python3
./transfer4j --version >/dev/null   # build first, outside the timings
cp="transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TRANSFER4J_OFFLINE=1
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tag="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | awk '{print tolower($1 "-" $2)}')"
partial=""
[[ ${#datasets[@]} -lt 3 || "$backbones" != local || ${#seeds[@]} -lt 3 ]] && partial="partial-"
result="bench/results/$(date +%Y-%m-%d)-rank-$partial$tag.md"
rows="$work/rows.tsv"
runs="$work/runs.tsv"
: > "$rows"
: > "$runs"

for data in "${datasets[@]}"; do
  dir="$shared/datasets/$data"
  [[ -d "$dir" ]] || { echo "no data set at $dir" >&2; exit 2; }
  export TRANSFER4J_HOME="$work/home-rank-$data"
  start=$(date +%s%N)
  ./transfer4j rank "$dir" --backbones "$backbones" --weights-dir "$shared/pretrained" --out "$work/rank-$data" \
    > "$work/rank-$data.txt" 2> "$work/rank-$data.err" || { echo "FAILED: rank $data" >&2; tail -5 "$work/rank-$data.err" >&2; exit 1; }
  rank_seconds=$(( ($(date +%s%N) - start) / 1000000 ))
  cat "$work/rank-$data.txt"
  mapfile -t names < <($py -c 'import json,sys; [print(b["backbone"]) for b in json.load(open(sys.argv[1]))["backbones"]]' \
    "$work/rank-$data/rank.json")
  export TRANSFER4J_HOME="$work/home-train-$data"
  for b in "${names[@]}"; do
    for seed in "${seeds[@]}"; do
      out="$work/train-$data-$b-$seed"
      start=$(date +%s%N)
      ./transfer4j train "$dir" --backbone "$b" --weights-dir "$shared/pretrained" --seed "$seed" --out "$out" \
        > "$out.log" 2> "$out.err" || { echo "FAILED: train $data $b $seed" >&2; tail -5 "$out.err" >&2; exit 1; }
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      acc=$($py -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["run"]["test"]["accuracy"])' "$out/manifest.json")
      printf '%s\t%s\t%s\t%s\t%s\n' "$data" "$b" "$seed" "$acc" "$ms" | tee -a "$runs"
    done
  done
  $py - "$work/rank-$data/rank.json" "$runs" "$data" "$rank_seconds" >> "$rows" <<'PY'
import json, statistics, sys
rank = json.load(open(sys.argv[1]))
runs = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.startswith(sys.argv[3] + "\t")]
for b in rank["backbones"]:
    acc = [float(r[3]) for r in runs if r[1] == b["backbone"]]
    train_s = sum(float(r[4]) for r in runs if r[1] == b["backbone"]) / 1000
    top1 = b["imagenetTop1"]
    print("\t".join([sys.argv[3], b["backbone"], repr(b["logMe"]), repr(b["knnAccuracy"]),
                     "nan" if top1 is None else repr(top1), repr(b["meanRank"]),
                     repr(statistics.mean(acc)), repr(statistics.stdev(acc) if len(acc) > 1 else float("nan")),
                     str(len(acc)), "%.1f" % b["seconds"], "%.1f" % train_s, "%.1f" % (float(sys.argv[4]) / 1000),
                     b["weights"]]))
PY
done

{
  echo "# Backbone ranking against trained accuracy (bench/rank.sh)"
  echo
  echo "Machine: $machine. Command: \`bench/rank.sh ${datasets[*]}\` with BACKBONES=$backbones SEEDS=\"${seeds[*]}\"."
  [[ -n "$partial" ]] && echo "**Partial run** (fewer data sets, backbones or seeds than the full benchmark): not a result to quote."
  echo "Scores from \`transfer4j rank\` (train + validation images; cold feature cache). Accuracy: frozen backbone,"
  echo "default head, test split scored once, mean over seeds. Rank's seconds include extracting the features"
  echo "of all three splits (the cache that training would reuse); training ran with its own cold cache."
  echo
  echo "| data | backbone | weights | LogME | kNN | top-1 | mean rank (rule) | mean test accuracy | sd | seeds | rank s (this backbone) | train s (all seeds) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %.4f | %.4f | %s | %.2f | %.4f | %.4f | %s | %s | %s |\n", $1, $2, $13, $3, $4, $5, $6, $7, $8, $9, $10, $11}' "$rows"
  echo
  echo "| data | rank s (whole command) | train s (all backbones and seeds) |"
  echo "|---|---|---|"
  awk -F'\t' '{r[$1]=$12; t[$1]+=$11; if (!($1 in o)) {o[$1]=n++; k[n-1]=$1}} END {for (i=0;i<n;i++) printf "| %s | %s | %.1f |\n", k[i], r[k[i]], t[k[i]]}' "$rows"
  echo
  cut -f1,2,3,4,5,6,7 "$rows" > "$work/scores.tsv"
  java -cp "$cp" bench/RankCorrelation.java "$work/scores.tsv"
} > "$result"
echo "written $result"
cat "$result"
