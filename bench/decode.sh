#!/usr/bin/env bash
# Decode + preprocess (JPEG file -> normalised 224x224 tensor, torchvision's ImageNet recipe) against
# PIL + torchvision in the same run, 1 and 2 threads (issue 18).
#   bench/decode.sh [ROUNDS] [DATA]   (about 2 minutes on 2 cores with 3 rounds)
# Alternates ROUNDS times: transfer4j's BatchLoader (a fresh JVM: a cold pass on 1 thread, then warm
# passes on 1 and 2 threads) and torch_decode.py (1 process twice, then a DataLoader with 2 workers).
# Writes bench/results/<date>-decode-<machine>.md. Run it on an otherwise idle machine.
set -euo pipefail
rounds="${1:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
data="${2:-$shared/datasets/cats_dogs}"
py=/usr/bin/python3
$py -c 'import torch, torchvision, PIL' 2>/dev/null || { echo "needs Debian's python3-torch, python3-torchvision, python3-pil" >&2; exit 2; }

mvn -q -B -DskipTests -pl transfer4j-core -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath-bench.txt >&2
cp="transfer4j-core/target/classes:transfer4j-core/target/test-classes:$(cat transfer4j-core/target/classpath-bench.txt)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for r in $(seq 1 "$rounds"); do
  java -Xmx2g -cp "$cp" org.transfer4j.bench.DecodeBench "$data" 1 2 > "$out/java$r.jsonl"
  $py bench/torch_decode.py "$data" 0 0 2 > "$out/torch$r.jsonl"
  echo "round $r: $(tr '\n' ' ' < "$out/java$r.jsonl") | $(tr '\n' ' ' < "$out/torch$r.jsonl")" >&2
done
machine="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | tr 'A-Z ' 'a-z-' | cut -c1-20)"
file="bench/results/$(date -u +%Y-%m-%d)-decode-$machine.md"
$py - "$out" "$rounds" "$data" "$machine" > "$file" <<'PY'
import json, statistics, sys
out, rounds, data, machine = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = ["1 thread, cold JVM / 1st pass", "1 thread, warm", "2 threads / 2 workers, warm"]
ratios = {k: [] for k in rows}
lines = []
for r in range(1, rounds + 1):
    j = [json.loads(l) for l in open(f"{out}/java{r}.jsonl")]
    t = [json.loads(l) for l in open(f"{out}/torch{r}.jsonl")]
    for name, a, b in zip(rows, j, t):
        ratios[name].append(a["images_per_s"] / b["images_per_s"])
        lines.append(f"| {r} | {name} | {a['images_per_s']:.0f} | {b['images_per_s']:.0f} | {a['images_per_s'] / b['images_per_s']:.2f}× |")
print(f"# Decode + preprocess vs PIL + torchvision ({machine})\n")
print(f"`bench/decode.sh {rounds}` on `{data}` ({j[0]['images']} JPEGs): file -> Resize(256), CenterCrop(224),")
print("ToTensor, Normalize; images/s; transfer4j's BatchLoader against torch_decode.py, alternating, same machine.\n")
print("| round | pass | transfer4j | PIL + torchvision | ratio |\n|---|---|---|---|---|")
print("\n".join(lines))
print("\n| pass | median ratio | min | max |\n|---|---|---|---|")
for k, v in ratios.items():
    print(f"| {k} | **{statistics.median(v):.2f}×** | {min(v):.2f}× | {max(v):.2f}× |")
PY
cat "$file"
