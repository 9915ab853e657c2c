#!/usr/bin/env bash
# AdaBN (issue 16, train --adapt-bn): frozen test accuracy with and without batch-norm statistics
# re-estimated on the training images, same seeds, same everything else.
#   flock /work/build.lock bench/adabn.sh [DATASET ...]   (default: hymenoptera cats_dogs fashion_mnist_small)
#   SEEDS="1 2 3" (default); BACKBONE=mobilenet_v1_0.25_224 (default: the one weight set in ../shared/pretrained
#   whose batch norms keep their statistics; the others are TFLite files or have batch norm folded)
# Per data set and seed: `train DATA --seed S` and `train DATA --seed S --adapt-bn` (default head, 10 epochs;
# the test split scored once by model.onnx). Then the folded torchvision-format MobileNetV2 with --adapt-bn,
# which is refused (exit 2): its message is recorded.
# Writes bench/results/<date>-adabn-<machine>.md (+ .tsv with every run).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
sets=("$@")
(( ${#sets[@]} )) || sets=(hymenoptera cats_dogs fashion_mnist_small)
read -r -a seeds <<< "${SEEDS:-1 2 3}"
backbone="${BACKBONE:-mobilenet_v1_0.25_224}"
partial=""
[[ ${#sets[@]} -lt 3 || ${#seeds[@]} -lt 3 ]] && partial="partial-"
base="bench/results/$(date +%Y-%m-%d)-adabn-$partial$tag"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: > "$base.tsv"
start=$(date +%s)
for data in "${sets[@]}"; do
  dir="$shared/datasets/$data"
  [[ -d "$dir" ]] || { echo "no data set at $dir" >&2; exit 2; }
  for seed in "${seeds[@]}"; do
    for mode in plain adapt-bn; do
      out="$work/$data-$seed-$mode"
      flag=()
      [[ $mode == adapt-bn ]] && flag=(--adapt-bn)
      t0=$(date +%s.%N)
      ./transfer4j train "$dir" --backbone "$backbone" --weights-dir "$shared/pretrained" --seed "$seed" \
        "${flag[@]}" --out "$out" > /dev/null 2> "$out.log" || { cat "$out.log" >&2; exit 1; }
      t1=$(date +%s.%N)
      $py - "$out/manifest.json" "$data" "$seed" "$mode" "$(echo "$t1 - $t0" | bc)" >> "$base.tsv" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
test = m["run"]["test"]
adapted = m["backbone"].get("adaptedBatchNorm") or {}
print("\t".join([sys.argv[2], sys.argv[3], sys.argv[4], f"{test['accuracy']:.4f}", str(test["images"]),
                 str(adapted.get("images", "")), f"{float(sys.argv[5]):.1f}"]))
PY
      tail -n 1 "$base.tsv"
    done
  done
done
seconds=$(( $(date +%s) - start ))
folded="$shared/pretrained/torchvision-format/mobilenet_v2_from_qnnpack_float.pth"
refusal="(not run: $folded missing)"
if [[ -f "$folded" ]]; then
  set +e
  ./transfer4j train "$shared/datasets/${sets[0]}" --weights "$folded" --adapt-bn --out "$work/folded" \
    > /dev/null 2> "$work/folded.log"
  code=$?
  set -e
  refusal="exit $code: $(grep '^transfer4j:' "$work/folded.log" | head -n 1)"
fi

$py - "$base.tsv" "$machine" "$(git rev-parse --short HEAD)" "$seconds" \
  "SEEDS=\"${seeds[*]}\" BACKBONE=$backbone bench/adabn.sh ${sets[*]}" "$backbone" "$refusal" > "$base.md" <<'PY'
import statistics as st, sys
tsv, machine, commit, seconds, command, backbone, refusal = sys.argv[1:8]
rows = [l.rstrip("\n").split("\t") for l in open(tsv) if l.strip()]
def ms(v):
    return f"{st.mean(v):.4f} ± {st.stdev(v):.4f}" if len(v) > 1 else f"{v[0]:.4f}"
print("# AdaBN (`train --adapt-bn`): frozen test accuracy with and without re-estimated batch-norm statistics\n")
print(f"Machine: {machine}. Commit {commit}. Command: `{command}` ({seconds} s).\n")
print(f"Backbone `{backbone}` (frozen, default head, 10 epochs). Test accuracy (scored once by model.onnx), mean ± "
      "standard deviation over the seeds; Δ = adapt-bn − plain in points, mean over seeds (worst seed in brackets). "
      "The statistics are re-estimated on the training and validation images (at most 1024, batches of at most 32); "
      "the test split never.\n")
print("| data set | test images | seeds | plain | --adapt-bn | Δ (worst) | images adapted on |")
print("|---|---|---|---|---|---|---|")
by = {}
for data, seed, mode, acc, images, adapted, secs in rows:
    by.setdefault(data, {}).setdefault(mode, {})[seed] = (float(acc), images, adapted)
for data, m in by.items():
    seeds = sorted(set(m.get("plain", {})) & set(m.get("adapt-bn", {})))
    plain = [m["plain"][s][0] for s in seeds]
    adapt = [m["adapt-bn"][s][0] for s in seeds]
    deltas = [100 * (a - p) for a, p in zip(adapt, plain)]
    print(f"| {data} | {m['plain'][seeds[0]][1]} | {len(seeds)} | {ms(plain)} | {ms(adapt)} | "
          f"{st.mean(deltas):+.2f} ({min(deltas):+.2f}) | {m['adapt-bn'][seeds[0]][2]} |")
print("\nEvery run (data set, seed, mode, test accuracy, test images, images adapted on, seconds):\n")
print("```")
for r in rows:
    print("\t".join(r))
print("```")
print("\nThe torchvision-format MobileNetV2 of ../shared/pretrained (batch norm folded into the convolutions, "
      "identity batch norms left) with `--adapt-bn`:\n")
print(f"    {refusal}")
PY
cat "$base.md"
