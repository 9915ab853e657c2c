#!/usr/bin/env bash
# transfer4j benchmarks against PyTorch on the same machine, in one run.
#   bench/run.sh quick   (about 10 minutes on 2 cores)
#   bench/run.sh full    (under an hour on 2 cores)
# Writes bench/results/<date>-<machine>.json and .md and prints the ratios. Run it on an otherwise
# idle machine: timings of concurrent jobs mean nothing.
set -euo pipefail
mode="${1:-quick}"
case "$mode" in quick|full) ;; *) echo "usage: bench/run.sh [quick|full]" >&2; exit 2 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
data="$shared/datasets/cats_dogs"
py=/usr/bin/python3

if ! $py -c 'import torch, torchvision, PIL' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision python3-pil
fi
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time; }

echo "building..." >&2
mvn -q -B -DskipTests -pl transfer4j-core -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath-bench.txt >&2
./transfer4j --version >/dev/null   # builds the launcher's class path too
cp="transfer4j-core/target/classes:transfer4j-core/target/test-classes:$(cat transfer4j-core/target/classpath-bench.txt)"
java=(java -Xmx8g -Dai.djl.offline=true -Dtransfer4j.offline=true -cp "$cp")

stamp="$(date -u +%Y%m%d-%H%M%S)"
out="bench/results/tmp/$stamp"
mkdir -p "$out"
export TRANSFER4J_HOME="$out/home"
export TRANSFER4J_OFFLINE=1

if [[ $mode == quick ]]; then
  seconds=8; backbones=(mobilenet_v2 resnet18); djl_backbones=(mobilenet_v2); recipe_epochs=1; dense_epochs=0
else
  seconds=20; backbones=(mobilenet_v2 resnet18 resnet50 densenet121 vgg16); djl_backbones=(mobilenet_v2 resnet18 densenet121)
  recipe_epochs=10; dense_epochs=2
fi

timed() {  # timed NAME CMD... : wall time and peak RSS of a command into $out/NAME.time
  local name="$1"; shift
  /usr/bin/time -f '{"wall_s": %e, "peak_rss_kb": %M}' -o "$out/$name.time" "$@" > "$out/$name.log" 2> "$out/$name.err" \
    || { echo "FAILED: $name (see $out/$name.err)" >&2; tail -5 "$out/$name.err" >&2; return 1; }
}

echo "1/5 decode + preprocess" >&2
"${java[@]}" org.transfer4j.bench.DecodeBench "$data" 1 2 > "$out/decode_java.jsonl"
$py bench/torch_decode.py "$data" 0 0 2 > "$out/decode_torch.jsonl"   # pairs with DecodeBench's cold 1, warm 1, warm 2

echo "2/5 backbone inference, batch 32" >&2
: > "$out/infer.jsonl"
for b in "${backbones[@]}"; do
  "${java[@]}" org.transfer4j.bench.InferenceBench "$seconds" 2 "$b" >> "$out/infer.jsonl"
  $py bench/torch_infer.py "$b" --seconds "$seconds" --threads 2 | sed 's/"backbone"/"executor": "pytorch", "backbone"/' >> "$out/infer.jsonl"
done
for b in "${djl_backbones[@]}"; do
  "${java[@]}" org.transfer4j.bench.InferenceBench "$seconds" 2 "$b:djl" >> "$out/infer.jsonl"
done

echo "3/5 frozen workflow end to end on cats_dogs, 10 epochs" >&2
timed t4j_cold ./transfer4j train "$data" --weights-dir "$shared/pretrained" --out "$out/model" --threads 2
timed t4j_warm ./transfer4j train "$data" --weights-dir "$shared/pretrained" --out "$out/model2" --head 512,256 --threads 2
timed torch_tuned $py bench/torch_recipe.py --data "$data" --arch mobilenet_v2 --variant tuned --epochs 10
timed torch_recipe $py bench/torch_recipe.py --data "$data" --arch mobilenet_v2 --variant recipe --epochs "$recipe_epochs"
if (( dense_epochs > 0 )); then
  $py bench/make_random_pth.py densenet121 "$out/densenet121-random.pth"
  timed t4j_dense ./transfer4j train "$data" --backbone densenet121 --weights "$out/densenet121-random.pth" --out "$out/model-dense" --threads 2
  timed torch_dense_recipe $py bench/torch_recipe.py --data "$data" --arch densenet121 --variant recipe --epochs "$dense_epochs"
fi

echo "4/5 prediction latency and CLI cold start" >&2
"${java[@]}" org.transfer4j.bench.PredictLatencyBench "$out/model" "$data/test/cats" 200 > "$out/latency.jsonl"
one="$(ls "$data/test/cats" | head -1)"
timed cli_cold ./transfer4j predict "$out/model" "$data/test/cats/$one"

echo "4b/5 fine-tuning step, batch 32 (top blocks; staged from cached cut activations vs from the image)" >&2
: > "$out/finetune.txt"
for c in "mobilenet_v2 3" "resnet18 1"; do
  set -- $c
  java -Xmx6g -Dai.djl.offline=true -cp "$cp" bench/FineTuneStepBench.java "$1" "$2" | grep "step ms" >> "$out/finetune.txt"
  $py bench/finetune_step_torch.py "$1" "$2" | grep "step ms" >> "$out/finetune.txt"
done

echo "5/5 summary" >&2
$py bench/summarize.py "$out" "$mode" "$recipe_epochs" "$dense_epochs"
