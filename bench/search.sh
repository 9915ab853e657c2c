#!/usr/bin/env bash
# Similar-image search quality and speed (issue 15, "must show" 2), with bench/SearchBench.java:
#   bench/search.sh            (hold the build lock around it: flock /work/build.lock bench/search.sh)
# 1. `transfer4j embed` of the three data sets together (../shared/datasets: cats_dogs, fashion_mnist_small,
#    hymenoptera; train and test folders; default backbone) into a fresh feature cache;
# 2. recall@10 of the HNSW graph against exact search on those real embeddings, every image a query
#    (leave-one-out), with the latency of each;
# 3. latency p50/p99 and recall@10 on 20,000 and 100,000 synthetic vectors made from the real ones
#    (a random real row plus Gaussian noise), 200 queries; and on 10,000 standard Gaussian vectors (no
#    structure: HNSW's hard case).
# Writes bench/results/<date>-search-<machine>.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
./transfer4j --version >/dev/null   # build first, outside the timings
cp="transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TRANSFER4J_OFFLINE=1 TRANSFER4J_HOME="$work/home"
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tag="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | awk '{print tolower($1 "-" $2)}')"
result="bench/results/$(date +%Y-%m-%d)-search-$tag.md"

./transfer4j embed "$shared/datasets" --weights-dir "$shared/pretrained" --out "$work/emb" --json > "$work/embed.json" \
  2> "$work/embed.err" || { tail -5 "$work/embed.err" >&2; exit 1; }
{
  echo "# Similar-image search: HNSW (hnswlib-core, M 16, efConstruction 200, ef 100) against exact search"
  echo
  echo "Machine: $machine. Commit $(git rev-parse --short HEAD). Command: bench/search.sh. Latencies: one"
  echo "thread, one query at a time, after 50 warm-up queries; the HNSW build uses every core."
  echo
  echo "Embeddings: \`$(cat "$work/embed.json")\`"
  echo
  echo "## Real embeddings of the three data sets together (every image a query, itself left out)"
  echo
  java -Xmx8g -cp "$cp" bench/SearchBench.java real "$work/emb"
  echo
  echo "## Synthetic vectors: 20,000 and 100,000 made from the real ones; 10,000 Gaussian"
  echo
  java -Xmx8g -cp "$cp" bench/SearchBench.java derived "$work/emb" 200 20000 100000
  java -Xmx8g -cp "$cp" bench/SearchBench.java gaussian 1280 200 10000 | tail -n +3
} > "$result.tmp"
mv "$result.tmp" "$result"
cat "$result"
echo "written to $result" >&2
