#!/usr/bin/env bash
# How well does `transfer4j cluster` recover the classes it is not shown? (issue 15)
#   bench/cluster.sh [DATASET:K ...]   (default: cats_dogs:2 hymenoptera:2 fashion_mnist_small:10)
#   BACKBONE=name (default: the CLI's default), SEEDS="1 2 3" (k-means seeds; default)
# Per data set: `cluster` every image under it (train and test folders together; the class folders are
# never read by the clustering) with the given k and each seed, then accuracy after Hungarian matching,
# NMI and ARI against the class folder of each image (bench/ClusterScore.java); then `--k auto` once
# (seed 1) and the k it picks. Features go through one cold cache per data set, shared by the seeds,
# so the first seed's seconds include the backbone and the others only the clustering.
# Writes bench/results/<date>-cluster-<machine>.md (...-cluster-partial-... with fewer data sets or seeds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
specs=("$@")
(( ${#specs[@]} )) || specs=(cats_dogs:2 hymenoptera:2 fashion_mnist_small:10)
read -r -a seeds <<< "${SEEDS:-1 2 3}"
backbone=()
[[ -n "${BACKBONE:-}" ]] && backbone=(--backbone "$BACKBONE")
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
[[ ${#specs[@]} -lt 3 || ${#seeds[@]} -lt 3 ]] && partial="partial-"
result="bench/results/$(date +%Y-%m-%d)-cluster-$partial$tag.md"
runs="$work/runs.tsv"
autos="$work/auto.tsv"
: > "$runs"
: > "$autos"

for spec in "${specs[@]}"; do
  data="${spec%%:*}"
  k="${spec##*:}"
  dir="$shared/datasets/$data"
  [[ -d "$dir" ]] || { echo "no data set at $dir" >&2; exit 2; }
  export TRANSFER4J_HOME="$work/home-$data"
  for seed in "${seeds[@]}"; do
    out="$work/$data-$seed"
    start=$(date +%s%N)
    ./transfer4j cluster "$dir" --k "$k" --seed "$seed" "${backbone[@]}" --weights-dir "$shared/pretrained" \
      --out "$out" > "$out.log" 2> "$out.err" || { echo "FAILED: cluster $data $seed" >&2; tail -5 "$out.err" >&2; exit 1; }
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    score=$(java -cp "$cp" bench/ClusterScore.java "$out/clusters.csv")
    printf '%s\t%s\t%s\t%s\t%s\n' "$data" "$k" "$seed" "$score" "$ms" | tee -a "$runs"
  done
  out="$work/$data-auto"
  ./transfer4j cluster "$dir" --k auto --seed 1 "${backbone[@]}" --weights-dir "$shared/pretrained" --out "$out" \
    --json > "$out.json" 2> "$out.err" || { echo "FAILED: cluster --k auto $data" >&2; tail -5 "$out.err" >&2; exit 1; }
  $py -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], r["backbone"], r["k"], " ".join("%s:%.3f" % (k, v) for k, v in r["silhouettes"].items()), sep="\t")' \
    "$out.json" "$data" | tee -a "$autos"
done

$py - "$runs" "$autos" "$machine" "$(git rev-parse --short HEAD)" "${BACKBONE:-default}" "SEEDS=\"${seeds[*]}\"" \
  "${specs[@]}" > "$result" <<'PY'
import statistics as st, sys
runs, autos, machine, commit, backbone, seeds = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(runs) if l.strip()]
print(f"# transfer4j cluster: classes recovered with the labels hidden\n")
print(f"Machine: {machine}. Commit {commit}. Backbone option: {backbone}. Command: {seeds} bench/cluster.sh {' '.join(sys.argv[7:])}\n")
print("Per data set, mean ± standard deviation over the k-means seeds (seconds: first seed, cold cache).\n")
print("| data set | k | images | seeds | accuracy (Hungarian) | NMI | ARI | seconds (first seed) |")
print("|---|---|---|---|---|---|---|---|")
by = {}
for r in rows:
    by.setdefault((r[0], r[1]), []).append(r)
def ms(v):
    return f"{st.mean(v):.4f} ± {st.stdev(v):.4f}" if len(v) > 1 else f"{v[0]:.4f}"
for (data, k), rs in by.items():
    acc = [float(r[5]) for r in rs]; nmi = [float(r[6]) for r in rs]; ari = [float(r[7]) for r in rs]
    print(f"| {data} | {k} | {rs[0][3]} | {len(rs)} | {ms(acc)} | {ms(nmi)} | {ms(ari)} | {int(rs[0][8]) / 1000:.1f} |")
print("\n`--k auto` (silhouette over 2..10, seed 1):\n")
print("| data set | backbone (weights) | k picked | mean silhouette per k |")
print("|---|---|---|---|")
for l in open(autos):
    if l.strip():
        d, b, k, s = l.rstrip("\n").split("\t")
        print(f"| {d} | {b} | {k} | {s} |")
PY
cat "$result"
echo "written to $result" >&2
