#!/usr/bin/env bash
# Fine-tuning step timings, Java (DJL/libtorch) vs python3-torch, batch 32, 2 threads.
# Run from the repository root after ./transfer4j has built transfer4j-core/target/classes and classpath.txt.
set -euo pipefail
cp="transfer4j-core/target/classes:$(cat transfer4j-core/target/classpath.txt)"
for run in 1 2; do
  for case in "mobilenet_v2 3" "resnet18 2" "resnet18 1"; do
    set -- $case
    java -Xmx6g -Dai.djl.offline=true -cp "$cp" bench/FineTuneStepBench.java "$1" "$2"
    /usr/bin/python3 bench/finetune_step_torch.py "$1" "$2"
  done
done
