#!/usr/bin/env bash
# The cost curve (issue 18): `train` on folders of 2k, 10k and 50k images made by re-encoding random
# crops of the shared cats_dogs photos (seeded), each with an empty feature cache. Measures wall time,
# peak RSS, feature-cache size on disk and the backbone pass's images/s at each size.
#   bench/cost_curve.sh [SIZES...]   (default 2000 10000 50000; about 15 minutes on 2 cores)
# One size alone, e.g. `bench/cost_curve.sh 10000`, writes <date>-cost-curve-10000-<machine>.md instead.
# The process's RSS is sampled every second (rss<N>.tsv beside the logs, in bench/results/tmp/), with the
# log line it was at: the table says in which step the peak came.
# The folders are generated under a temporary folder in /tmp (about 1.5 GB for 50k) and removed at the
# end. Writes bench/results/<date>-cost-curve-<machine>.md and .png. Run it on an otherwise idle machine.
set -euo pipefail
sizes=("$@")
(( ${#sizes[@]} )) || sizes=(2000 10000 50000)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
py=/usr/bin/python3
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time; }
$py -c 'import PIL, matplotlib' 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pil python3-matplotlib; }
./transfer4j --version >/dev/null   # build first, outside the timings

tmp="$(mktemp -d /tmp/t4j-cost-curve.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
largest="$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)"
echo "generating $largest images..." >&2
$py bench/make_crops.py "$shared/datasets/cats_dogs" "$tmp/all" "$largest" --seed 42 >&2
export TRANSFER4J_OFFLINE=1
logs="bench/results/tmp/cost-curve-$(date -u +%Y%m%d-%H%M%S)"   # each run's log, GC log and time -v
mkdir -p "$logs"
: > "$tmp/rows.jsonl"
# The step a run is at: its last log line (an epoch line of stdout when that was written last), with the
# line before a progress bar (which split is being read).
step() {
  local out="$tmp/train$1.log" err="$tmp/train$1.err" last
  if [[ "$out" -nt "$err" ]]; then tail -1 "$out" | cut -c1-60 | tr '\t"' '  '; return; fi
  last="$(tr '\r' '\n' < "$err" | grep . | tail -1 | cut -c1-30)"
  if [[ "$last" == images\ [0-9]* ]]; then
    last="$(tr '\r' '\n' < "$err" | grep -v '^images [0-9]*/' | grep . | tail -1 | cut -c1-50), ${last%%%*}%"
  fi
  echo "$last" | tr '\t"' '  '
}
for n in "${sizes[@]}"; do
  data="$tmp/n$n"
  # The first n crops (the classes alternate), hard-linked: smaller folders are prefixes of the larger.
  $py - "$tmp/all" "$data" "$n" <<'PY'
import os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted((f, c) for c in os.listdir(src) for f in os.listdir(os.path.join(src, c)))[:n]
for f, c in files:
    os.makedirs(os.path.join(dst, c), exist_ok=True)
    os.link(os.path.join(src, c, f), os.path.join(dst, c, f))
PY
  export TRANSFER4J_HOME="$tmp/home$n"
  echo "train on $n images..." >&2
  # The GC log tells the heap (live after each collection, and committed) apart from native memory.
  TRANSFER4J_JAVA_OPTS="-Xlog:gc:file=$tmp/gc$n.log ${TRANSFER4J_JAVA_OPTS:-}" \
  /usr/bin/time -v -o "$tmp/time$n.txt" ./transfer4j train "$data" --weights-dir "$shared/pretrained" \
    --out "$tmp/model$n" --threads 2 > "$tmp/train$n.log" 2> "$tmp/train$n.err" &
  timed=$!
  # RSS of the JVM (the launcher execs java under time) every second, with the last log line then
  : > "$tmp/rss$n.tsv"
  t0=$SECONDS java_pid=
  while kill -0 "$timed" 2>/dev/null; do
    [[ -n "$java_pid" ]] || java_pid="$(pgrep -P "$timed" -x java | head -1 || true)"
    if [[ -n "$java_pid" ]] && rss="$(awk '/^VmRSS/ {print $2}' "/proc/$java_pid/status" 2>/dev/null)" && [[ -n "$rss" ]]; then
      printf '%d\t%d\t%s\n' "$((SECONDS - t0))" "$((rss / 1024))" "$(step "$n")" >> "$tmp/rss$n.tsv"
    fi
    sleep 1
  done
  wait "$timed" || { echo "FAILED: train on $n images" >&2; tail -5 "$tmp/train$n.err" >&2; exit 1; }
  peak_step="$(sort -t$'\t' -k2,2n "$tmp/rss$n.tsv" | tail -1 | cut -f3)"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tmp/time$n.txt")"
  rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time$n.txt")"
  cache_b="$(du -sb "$TRANSFER4J_HOME/features" | cut -f1)"   # apparent size
  cache_disk="$(du -s --block-size=1 "$TRANSFER4J_HOME/features" | cut -f1)"   # blocks used
  features_s="$(grep -ho 'features ready in [0-9.]*s' "$tmp/train$n.err" "$tmp/train$n.log" | head -1 | grep -o '[0-9.]*' | head -1)"
  heap="$($py - "$tmp/gc$n.log" <<'PY'
import re, sys
after, committed = 0, 0
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        after, committed = max(after, int(m.group(2))), max(committed, int(m.group(3)))
print(f'"heap_after_gc_max_mb": {after}, "heap_committed_max_mb": {committed}')
PY
)"
  row="{\"images\": $n, $heap, \"wall_s\": $wall, \"peak_rss_kb\": $rss_kb, \"cache_bytes\": $cache_b, \"cache_disk_bytes\": $cache_disk, \"cache_files\": $(find "$TRANSFER4J_HOME/features" -type f | wc -l), \"features_s\": ${features_s:-null}, \"peak_after\": \"$peak_step\"}"
  echo "$row" | tee -a "$tmp/rows.jsonl" >&2
  cp "$tmp/train$n.log" "$tmp/train$n.err" "$tmp/gc$n.log" "$tmp/time$n.txt" "$tmp/rss$n.tsv" "$logs/"
  rm -rf "$TRANSFER4J_HOME" "$tmp/model$n" "$data"
done
machine="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | tr 'A-Z ' 'a-z-' | cut -c1-20)"
name=cost-curve
(( ${#sizes[@]} > 1 )) || name="cost-curve-${sizes[0]}"
base="bench/results/$(date -u +%Y-%m-%d)-$name-$machine"
$py bench/cost_curve_report.py "$tmp/rows.jsonl" "$base" "$machine"
cat "$base.md"
