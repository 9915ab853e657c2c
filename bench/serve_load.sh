#!/usr/bin/env bash
# Load benchmark of transfer4j serve (issue 13), loopback only, bounded: trains a cats_dogs model (the
# feature cache makes a second run quick), then bench/ServeLoadBench.java: in-process throughput, 16
# concurrent clients, and 4 x the queue limit of clients.
#   bench/serve_load.sh [REQUESTS] [QUEUE]   (default 1600 requests, queue 8)
# Each figure follows a warm-up (bench/ServeLoadBench.java says why); -Dserve.warmup=N, -Dserve.maxBatch=N and -Dserve.workers=N go in JAVA_OPTS.
# Prints a Markdown section for BENCHMARKS.md. Run it on an otherwise idle machine.
set -euo pipefail
requests="${1:-1600}"
queue="${2:-8}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
./transfer4j --version >/dev/null   # build first
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./transfer4j train "$shared/datasets/cats_dogs" --weights-dir "$shared/pretrained" --out "$out/cats_dogs" \
  > "$out/train.log" 2> "$out/train.err" || { tail -5 "$out/train.err" >&2; exit 1; }
java -Xmx6g ${JAVA_OPTS:-} -Dai.djl.offline=true -cp "transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt)" bench/ServeLoadBench.java \
  "$out/cats_dogs" "$shared/datasets/cats_dogs/test" "$requests" "$queue"
