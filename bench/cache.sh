#!/usr/bin/env bash
# The feature cache's promise (issue 3): a second `train` on the same data with another head runs no
# backbone pass and takes at most 20 % of the first run's wall time.
#   bench/cache.sh [REPEATS]   (about 2 minutes on 2 cores with 3 repeats)
# Runs `train` on cats_dogs with an empty cache (cold), then REPEATS times with another head (warm),
# and writes bench/results/<date>-cache-<machine>.md with the median ratio. Run it on an otherwise idle
# machine: timings of concurrent jobs mean nothing.
set -euo pipefail
repeats="${1:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
data="$shared/datasets/cats_dogs"
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time; }
./transfer4j --version >/dev/null   # build first, outside the timings

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export TRANSFER4J_HOME="$out/home"
export TRANSFER4J_OFFLINE=1

wall() {  # wall NAME ARGS... : runs train, prints its wall time in seconds
  local name="$1"; shift
  /usr/bin/time -f '%e' -o "$out/$name.time" ./transfer4j train "$data" --weights-dir "$shared/pretrained" \
    --out "$out/$name" --threads 2 "$@" > "$out/$name.log" 2> "$out/$name.err" \
    || { echo "FAILED: $name" >&2; tail -5 "$out/$name.err" >&2; exit 1; }
  cat "$out/$name.time"
}

cold="$(wall cold)"
echo "cold (empty cache): ${cold}s" >&2
warms=()
for i in $(seq 1 "$repeats"); do
  w="$(wall "warm$i" --head 512,256)"
  grep -q "no backbone pass" "$out/warm$i.err" || { echo "warm run $i ran the backbone" >&2; exit 1; }
  echo "warm $i (head 512,256, cached features): ${w}s" >&2
  warms+=("$w")
done
median="$(printf '%s\n' "${warms[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
ratio="$(awk -v w="$median" -v c="$cold" 'BEGIN {printf "%.3f", w / c}')"
machine="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | tr 'A-Z ' 'a-z-' | cut -c1-20)"
file="bench/results/$(date -u +%Y-%m-%d)-cache-$machine.md"
{
  echo "# Feature cache: second train vs first ($(date -u +%Y-%m-%dT%H:%MZ), $machine)"
  echo
  echo "\`bench/cache.sh $repeats\`: \`transfer4j train\` on cats_dogs (1000 train + 500 test images, mobilenet_v2),"
  echo "2 threads; cold = empty cache, default head; warm = same data, head 512,256, features from the cache."
  echo
  echo "| run | wall s |"
  echo "|---|---|"
  echo "| cold | $cold |"
  for i in "${!warms[@]}"; do echo "| warm $((i + 1)) | ${warms[$i]} |"; done
  echo
  echo "Median warm / cold = **$ratio** (target ≤ 0.2)."
} > "$file"
echo "warm/cold = $ratio (median of $repeats; target <= 0.2) -> $file"
