#!/usr/bin/env bash
# Spark feature job against the command line's extraction, on the same machine in the same run:
# images/s of 'transfer4j embed' (the CLI's feature extraction: fresh cache, all cores) and of the Spark
# job (transfer4j-spark) in local[1] and local[2], two rounds, medians; ratios local[2]/local[1] and
# CLI/local[2] (Spark's overhead on the same cores). Each Spark JVM first runs the job on 64 of the images
# (Spark's class loading and code generation, the executor's backbone), then the timed job: the steady
# state of a long job (BENCH_COLD=1 times the first job instead). BENCH_SIZES="1 4" measures DATA as it
# is, then 4 copies of it in a temporary folder (same layout; each copy's JPEGs carry a comment naming the
# copy, so their content hashes differ and no cache or dedup sees a repeat), so that a job's fixed cost
# is spread over more images. Holds the build lock for the whole run.
# Usage: bench/spark.sh [DATA] (default ../shared/datasets/cats_dogs).
# Writes bench/results/<date>-spark[-cold]-<image counts>-<machine>.md
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
mode=warm; label=", after a warm-up job"
if [[ -n "${BENCH_COLD:-}" ]]; then mode=cold; label=", first job of the JVM"; fi
median() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
# copies DIR N: N copies of DATA's files below DIR, same folders, names prefixed c1-..cN-, a JPEG comment
# segment (FF FE) after the JFIF header saying which copy: same pixels, different bytes
copies() {
  python3 - "$data" "$1" "$2" <<'PY'
import os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for folder, _, names in os.walk(src):
    for name in names:
        data = open(os.path.join(folder, name), 'rb').read()
        out = os.path.join(dst, os.path.relpath(folder, src))
        os.makedirs(out, exist_ok=True)
        for k in range(1, n + 1):
            note = b'transfer4j bench copy %d' % k
            # after the JFIF APP0 segment, which must come first; a file that is not a JPEG gets it appended
            at = 4 + int.from_bytes(data[4:6], 'big') if data[2:4] == b'\xff\xe0' else 2
            body = data[:at] + b'\xff\xfe' + (len(note) + 2).to_bytes(2, 'big') + note + data[at:] \
                if data[:2] == b'\xff\xd8' else data + note
            open(os.path.join(out, 'c%d-%s' % (k, name)), 'wb').write(body)
PY
}
tables=(); counts=()
for n in ${BENCH_SIZES:-1}; do
  dir="$data"
  if [[ "$n" != 1 ]]; then dir="$work/data-x$n"; copies "$dir" "$n"; fi
  images=$(find "$dir" -type f | wc -l)
  counts+=("$images")
  declare -A rate=()
  for round in 1 2; do
    home="$work/home-$n-$round"
    start=$(date +%s.%N)
    TRANSFER4J_HOME="$home" java -Xmx6g -Dai.djl.offline=true -cp "$cp" org.transfer4j.cli.Main embed "$dir" \
        --weights-dir "$weights" --out "$work/embed-$n-$round" > /dev/null 2>&1
    end=$(date +%s.%N)
    rm -rf "$home" "$work/embed-$n-$round"
    rate[cli-$round]=$(echo "$images / ($end - $start)" | bc -l)
    echo "$images images, round $round cli embed: $(echo "$end - $start" | bc -l | cut -c1-6) s"
    for master in 'local[1]' 'local[2]'; do
      line=$(java "${jvm[@]}" -cp "$cp" bench/SparkBench.java "$master" "$dir" "$weights" "$work/out-$n-$round-${master:6:1}" "$mode" 2>/dev/null | grep '^spark ')
      rm -rf "$work/out-$n-$round-${master:6:1}" "$work/out-$n-$round-${master:6:1}-warmup"
      echo "$images images, round $round $line"
      rate[$master-$round]=$(echo "$line" | awk '{print $10}')
    done
  done
  cli=$(median "${rate[cli-1]}" "${rate[cli-2]}")
  l1=$(median "${rate[local[1]-1]}" "${rate[local[1]-2]}")
  l2=$(median "${rate[local[2]-1]}" "${rate[local[2]-2]}")
  what="$images files of $data"
  if [[ "$n" != 1 ]]; then what="$images files: $n copies of $data, each JPEG with a comment naming its copy"; fi
  tables+=("$(
    echo "## $what"
    echo
    echo "| what | images/s (median of 2) |"
    echo "|---|---|"
    printf '| transfer4j embed (CLI extraction, fresh cache, JVM start included) | %.1f |\n' "$cli"
    printf '| Spark job, local[1] (job only, session started%s) | %.1f |\n' "$label" "$l1"
    printf '| Spark job, local[2] (job only, session started%s) | %.1f |\n' "$label" "$l2"
    echo
    printf 'local[2] / local[1] = %.2f (target 1.6)\n\n' "$(echo "$l2 / $l1" | bc -l)"
    printf 'CLI / local[2] = %.2f (Spark overhead on the same cores: above 1 the CLI is faster, below 1 the job; the CLI time includes its JVM start, the job time leaves out the session start and the warm-up job)\n' "$(echo "$cli / $l2" | bc -l)"
  )")
done
machine="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' | awk '{print tolower($1"-"$2)}')"
sizes=$(IFS=-; echo "${counts[*]}")
out="bench/results/$(date +%Y-%m-%d)-spark${BENCH_COLD:+-cold}-$sizes-$machine.md"
{
  echo "# Spark feature job vs the CLI's extraction ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  for t in "${tables[@]}"; do
    echo
    echo "$t"
  done
} | tee "$out"
