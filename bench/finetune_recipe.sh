#!/usr/bin/env bash
# The fine-tuning recipe measured honestly (issue 12): frozen against fine-tuned, with the README's
# recipe, on hymenoptera and cats_dogs, 3 seeds each. The validation split (10 % of the training
# images, carved by the seed) chooses the kept epoch; the test split is scored once, by model.onnx.
#   bench/finetune_recipe.sh [SEEDS...]   (default seeds 1 2 3; about 20 minutes on 2 cores)
#   MODES=frozen bench/finetune_recipe.sh   (the frozen head only: the default backbone's accuracy, ~3 minutes)
# Writes bench/results/<date>-finetune-recipe-<machine>.md (MODES=frozen: <date>-frozen-default-<machine>.md;
# per run, then mean and standard deviation over seeds). Run it on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seeds=("$@")
(( ${#seeds[@]} )) || seeds=(1 2 3)
read -r -a modes <<< "${MODES:-frozen finetune}"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
./transfer4j --version >/dev/null   # build first, outside the timings

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TRANSFER4J_HOME="$work/home"
export TRANSFER4J_OFFLINE=1
recipe=(--mode finetune --augment standard --aug-views 5 --finetune-epochs 10 --backbone-lr-mult 1.0 --patience 0
        --warmup 0.3)
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
result="bench/results/$(date +%Y-%m-%d)-finetune-recipe-$(nproc)core.md"
[[ "${modes[*]}" == frozen ]] && result="bench/results/$(date +%Y-%m-%d)-frozen-default-$(nproc)core.md"
rows="$work/rows.tsv"
: > "$rows"

for data in hymenoptera cats_dogs; do
  for seed in "${seeds[@]}"; do
    for mode in "${modes[@]}"; do
      args=()
      [[ $mode == finetune ]] && args=("${recipe[@]}")
      out="$work/$data-$mode-$seed"
      start=$(date +%s%N)
      ./transfer4j train "$shared/datasets/$data" --weights-dir "$shared/pretrained" --seed "$seed" \
        --out "$out" "${args[@]}" > "$out.log" 2> "$out.err" || { echo "FAILED: $out" >&2; tail -5 "$out.err" >&2; exit 1; }
      seconds=$(( ($(date +%s%N) - start) / 1000000000 ))
      /usr/bin/python3 - "$out/manifest.json" "$data" "$mode" "$seed" "$seconds" >> "$rows" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
r = m["run"]
print("\t".join([sys.argv[2], sys.argv[3], sys.argv[4], "%.4f" % r["test"]["accuracy"], str(r["test"]["images"]),
                 "%.4f" % r["validation"]["accuracy"], str(r["bestEpoch"]), str(r["lastEpoch"]),
                 "%.3g" % r["parity"]["maxAbsDifference"], "%.0f" % float(sys.argv[5])]))
PY
      tail -1 "$rows"
    done
  done
done

weights=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backbone"]["weightSet"])' \
  "$(ls -d "$work"/*/ | head -1)manifest.json")
/usr/bin/python3 - "$rows" "$machine" "${recipe[*]}" "$weights" > "$result" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
modes = list(dict.fromkeys(r[1] for r in rows))
print("# Frozen head with the default weights (MODES=frozen bench/finetune_recipe.sh)\n" if modes == ["frozen"]
      else "# Fine-tuning recipe, frozen against fine-tuned (bench/finetune_recipe.sh)\n")
print("Machine: %s. Backbone mobilenet_v2 (its default weights here: %s), head 500 for 10 epochs. Fine-tuning: `%s`."
      % (sys.argv[2], sys.argv[4], sys.argv[3]))
print("The validation split (10 % of each class's training images, carved with the seed) chose the kept epoch;"
      " the test split was scored once, by model.onnx.\n")
print("| data | mode | seed | test accuracy | test images | validation accuracy | kept epoch | last epoch | export check | wall s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print("\n| data | mode | mean test accuracy | sd | seeds |\n|---|---|---|---|---|")
for data in dict.fromkeys(r[0] for r in rows):
    for mode in dict.fromkeys(r[1] for r in rows):
        acc = [float(r[3]) for r in rows if r[0] == data and r[1] == mode]
        sd = statistics.stdev(acc) if len(acc) > 1 else float("nan")
        print("| %s | %s | %.4f | %.4f | %d |" % (data, mode, statistics.mean(acc), sd, len(acc)))
PY
echo "written $result"
cat "$result"
