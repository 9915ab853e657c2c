#!/usr/bin/env bash
# GPU against CPU in one run, at most 5 minutes: builds with -Pcuda (ONNX Runtime's CUDA execution
# provider, onnxruntime_gpu), then bench/GpuBench.java measures backbone extraction images/s
# (mobilenet_v2, resnet50, densenet121; batch 64 and 256) and a fine-tuning step (libtorch) on cuda:0
# and on the CPU, and prints the ratios. On a machine without an NVIDIA GPU it says so and exits 0.
# The fine-tuning step needs DJL's CUDA libtorch: PYTORCH_LIBRARY_PATH pointing at libtorch 2.7.1 for
# CUDA (the default build carries the CPU libtorch only); without it the step rows say so.
# Usage: bench/gpu.sh   (writes bench/results/<date>-gpu-<gpu>.md)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvidia-smi > /dev/null 2>&1; then
  echo "bench/gpu.sh: no NVIDIA GPU here (nvidia-smi is not installed); nothing to measure. Run it on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9."
  exit 0
fi
if ! gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2> /dev/null | head -1) || [[ -z "$gpu" ]]; then
  echo "bench/gpu.sh: nvidia-smi lists no GPU (driver not loaded?); nothing to measure."
  exit 0
fi
deadline=$((SECONDS + 300))
exec 9> /work/build.lock 2> /dev/null || exec 9> /tmp/transfer4j-build.lock
flock 9
timeout 150 mvn -q -B -Pcuda -DskipTests install -pl transfer4j-core -am
mvn -q -B -o -Pcuda dependency:build-classpath -pl transfer4j-core -Dmdep.outputFile=target/gpu-classpath.txt
cp="transfer4j-core/target/classes:$(cat transfer4j-core/target/gpu-classpath.txt)"
left=$((deadline - SECONDS - 10))
# 15 extraction cases and 2 step cases per device: seconds per case from what is left of the 5 minutes
per_case=$(python3 -c "print(max(1.0, $left / 2 / 17 - 1.5))")
out="bench/results/$(date +%Y-%m-%d)-gpu-$(echo "$gpu" | tr ' A-Z' '-a-z').md"
{
  echo "# GPU against CPU ($gpu, $(nproc) CPU cores, $(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  timeout "$left" java -Xmx16g -Dai.djl.offline=true -cp "$cp" bench/GpuBench.java "$per_case"
} | tee "$out"
