#!/usr/bin/env bash
# Spark feature job against the command line's extraction, on the same machine in the same run:
# images/s of 'transfer4j embed' (the CLI's feature extraction: fresh cache, all cores) and of the Spark
# job (transfer4j-spark) in local[1] and local[2], two rounds, medians; ratios local[2]/local[1] and
# CLI/local[2] (Spark's overhead on the same cores). Each Spark JVM first runs the job on 64 of the images
# (Spark's class loading and code generation, the executor's backbone), then the timed job: the steady
# state of a long job (BENCH_COLD=1 times the first job instead). Holds the build lock for the whole run.
# Usage: bench/spark.sh [DATA] (default ../shared/datasets/cats_dogs). Writes bench/results/<date>-spark-<machine>.md
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/datasets/cats_dogs}"
weights="${TRANSFER4J_WEIGHTS:-../shared/pretrained}"
if [[ -z "${TRANSFER4J_LOCK_HELD:-}" ]]; then  # set by a caller that holds the build lock already
  exec 9>/work/build.lock 2>/dev/null || exec 9>/tmp/transfer4j-build.lock
  flock 9
fi
mvn -o -q -B -DskipTests install -pl transfer4j-spark -am
mvn -o -q -B dependency:build-classpath -pl transfer4j-spark -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/spark-bench-classpath.txt
cp="transfer4j-spark/target/classes:transfer4j-core/target/classes:$(cat transfer4j-spark/target/spark-bench-classpath.txt)"
jvm=(-Xmx6g -Dai.djl.offline=true $(sed -n 's:.*<spark.jvmArgs>\(.*\)</spark.jvmArgs>.*:\1:p' transfer4j-spark/pom.xml))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
images=$(find "$data" -type f | wc -l)
declare -A rate
mode=warm; label=", after a warm-up job"
if [[ -n "${BENCH_COLD:-}" ]]; then mode=cold; label=", first job of the JVM"; fi
for round in 1 2; do
  home="$work/home-$round"
  start=$(date +%s.%N)
  TRANSFER4J_HOME="$home" java -Xmx6g -Dai.djl.offline=true -cp "$cp" org.transfer4j.cli.Main embed "$data" \
      --weights-dir "$weights" --out "$work/embed-$round" > /dev/null 2>&1
  end=$(date +%s.%N)
  rate[cli-$round]=$(echo "$images / ($end - $start)" | bc -l)
  echo "round $round cli embed: $images images in $(echo "$end - $start" | bc -l | cut -c1-6) s"
  for master in 'local[1]' 'local[2]'; do
    line=$(java "${jvm[@]}" -cp "$cp" bench/SparkBench.java "$master" "$data" "$weights" "$work/out-$round-${master:6:1}" "$mode" 2>/dev/null | grep '^spark ')
    echo "round $round $line"
    rate[$master-$round]=$(echo "$line" | awk '{print $10}')
  done
done
median() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
cli=$(median "${rate[cli-1]}" "${rate[cli-2]}")
l1=$(median "${rate[local[1]-1]}" "${rate[local[1]-2]}")
l2=$(median "${rate[local[2]-1]}" "${rate[local[2]-2]}")
machine="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' | awk '{print tolower($1"-"$2)}')"
out="bench/results/$(date +%Y-%m-%d)-spark${BENCH_COLD:+-cold}-$machine.md"
{
  echo "# Spark feature job vs the CLI's extraction ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $images files of $data)"
  echo
  echo "| what | images/s (median of 2) |"
  echo "|---|---|"
  printf '| transfer4j embed (CLI extraction, fresh cache, JVM start included) | %.1f |\n' "$cli"
  printf '| Spark job, local[1] (job only, session started%s) | %.1f |\n' "$label" "$l1"
  printf '| Spark job, local[2] (job only, session started%s) | %.1f |\n' "$label" "$l2"
  echo
  printf 'local[2] / local[1] = %.2f (target 1.6)\n\n' "$(echo "$l2 / $l1" | bc -l)"
  printf 'CLI / local[2] = %.2f (Spark overhead on the same cores: the CLI is this many times faster)\n' "$(echo "$cli / $l2" | bc -l)"
} | tee "$out"
