#!/usr/bin/env bash
# int8 against float32 on ONNX Runtime (issue 18, int8 part), in one run on one machine:
#   1. backbone images/s, batch 32, 2 threads: fp32 and int8 in alternating rounds, and PyTorch fp32;
#   2. int8 vs fp32 on the shared photos: ImageNet top-1 agreement, largest feature difference;
#   3. train, frozen, default head, cold cache, --precision fp32 and int8 on three datasets:
#      test accuracy, export check, wall time and peak RSS.
# Hold the build lock for the whole run:  flock /work/build.lock bench/int8.sh
# Writes bench/results/<date>-int8-2c-amd-epyc.md (and the raw lines beside it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
shared="$(cd "$shared" && pwd)"
py=/usr/bin/python3
seconds="${INT8_BENCH_SECONDS:-8}"

echo "building..." >&2
mvn -o -q -B -DskipTests -pl transfer4j-core -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath-bench.txt >&2
./transfer4j --version >/dev/null
cp="transfer4j-core/target/classes:transfer4j-core/target/test-classes:$(cat transfer4j-core/target/classpath-bench.txt)"
java=(java -Xmx8g -Dai.djl.offline=true -Dtransfer4j.offline=true -cp "$cp")
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
res="bench/results/$(date -u +%Y-%m-%d)-int8-2c-amd-epyc"
mkdir -p "$res"

echo "1. speed" >&2
"${java[@]}" org.transfer4j.bench.Int8InferenceBench "$seconds" 2 3 \
  "mobilenet_v2:$shared/pretrained/coral-tflite" mobilenet_v2:random resnet18:random | tee "$res/speed.jsonl"
# float weights as int8 (7-bit, zero point 0): faster here, but see the agreement below
"${java[@]}" -Dtransfer4j.int8.weights=int8 org.transfer4j.bench.Int8InferenceBench "$seconds" 2 3 \
  mobilenet_v2:random resnet18:random | tee -a "$res/speed.jsonl"
$py bench/torch_infer.py mobilenet_v2 resnet18 --seconds "$seconds" --threads 2 | tee "$res/torch.jsonl"

echo "2. agreement on the shared photos" >&2
photos=("$shared/datasets/hymenoptera/val" "$shared/datasets/cats_dogs/test")
"${java[@]}" org.transfer4j.bench.Int8Agreement mobilenet_v2 "$shared/pretrained/coral-tflite" \
  "$shared/datasets/cats_dogs/train" 256 "${photos[@]}" | tee "$res/agreement.jsonl"
for format in uint8 int8; do
  "${java[@]}" -Dtransfer4j.int8.weights=$format org.transfer4j.bench.Int8Agreement mobilenet_v2 \
    "$shared/pretrained/torchvision-format/mobilenet_v2_from_qnnpack_float.pth" \
    "$shared/datasets/cats_dogs/train" 256 "${photos[@]}" | sed "s/^{/{\"float_weights_as\": \"$format\", /" \
    | tee -a "$res/agreement.jsonl"
done

echo "3. train, cold cache" >&2
: > "$res/train.tsv"
for ds in cats_dogs hymenoptera fashion_mnist_small; do
  for p in fp32 int8; do
    home="$tmp/home-$ds-$p"
    start=$(date +%s.%N)
    TRANSFER4J_HOME="$home" TRANSFER4J_WEIGHTS="$shared/pretrained/coral-tflite" /usr/bin/time -f "%M" -o "$tmp/rss" \
      ./transfer4j train "$shared/datasets/$ds" --precision "$p" --out "$tmp/$ds-$p" > /dev/null 2> "$tmp/log"
    end=$(date +%s.%N)
    acc=$(grep -o 'test accuracy [0-9.]*' "$tmp/log" | awk '{print $3}')
    check=$(grep -o 'max |ONNX - trained| [0-9.e+-]*' "$tmp/log" | awk '{print $5}')
    feat=$(grep -o 'features ready in [0-9.]*s' "$tmp/log" | awk '{print $4}')
    calib=$(grep -o 'int8 calibration: .* in [0-9.]*s' "$tmp/log" | grep -o '[0-9.]*s$' || echo -)
    printf '%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\n' "$ds" "$p" "$acc" "$check" "$(echo "$end - $start" | bc)" \
      "$(( $(cat "$tmp/rss") / 1024 ))" "$feat" "$calib" | tee -a "$res/train.tsv"
  done
done

{
  echo "# int8 against float32, $(date -u +%F), 2-core AMD EPYC (AVX2, no AVX-512/VNNI), idle"
  echo
  echo "## Backbone images/s, batch 32, 2 threads (median of 3 alternating rounds of ${seconds} s)"
  echo
  echo '| backbone | weights | float weights as | fp32 | int8 | int8 / fp32 | PyTorch 1.13 fp32 | int8 / PyTorch | int8 operators after ORT optimization |'
  echo '|---|---|---|---|---|---|---|---|---|'
  $py - "$res/speed.jsonl" "$res/torch.jsonl" <<'PY'
import json, sys
torch = {j["backbone"]: j["images_per_s"] for j in map(json.loads, open(sys.argv[2]))}
for j in map(json.loads, open(sys.argv[1])):
    t = torch.get(j["backbone"])
    print(f'| {j["backbone"]} | {j["weights"]} | {j["float_weights_as"]} | {j["fp32_images_per_s"]:.1f} | {j["int8_images_per_s"]:.1f} | '
          f'{j["ratio"]:.2f}x | {t:.1f} | {j["int8_images_per_s"] / t:.1f}x | {j["int8_ops"]} |')
PY
  echo
  echo "## int8 vs fp32 on hymenoptera val + cats_dogs test (653 photos), calibrated on 256 cats_dogs training images"
  echo
  echo '```'
  cat "$res/agreement.jsonl"
  echo '```'
  echo
  echo "## train, frozen, default head, cold cache (mobilenet_v2 tflite-quant)"
  echo
  echo '| data set | precision | test accuracy | export check max diff | wall s | peak RSS MiB | features s | calibration |'
  echo '|---|---|---|---|---|---|---|---|'
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$res/train.tsv"
} > "$res.md"
cat "$res.md"
