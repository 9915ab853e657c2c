#!/usr/bin/env bash
# Regenerates classes.lst, the classes the launcher pre-parses into a class-data-sharing archive
# (target/transfer4j.jsa) so that every command starts faster. Run it after large code changes:
#   src/main/cds/make-class-list.sh    (about a minute; uses ../shared's data and weights)
# A stale list is harmless: classes it no longer names are just loaded the ordinary way.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
cd "$root"
./transfer4j --version >/dev/null
cp="target/transfer4j.jar:$(cat target/classpath.txt)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TRANSFER4J_HOME="$work/home" TRANSFER4J_OFFLINE=1
run() {  # run NAME ARGS...: one command with its loaded classes listed
  local name="$1"; shift
  java -Xmx6g -Dai.djl.offline=true -XX:DumpLoadedClassList="$work/$name.lst" -cp "$cp" org.transfer4j.cli.Main "$@" \
    >/dev/null 2>&1
}
run cold train "$shared/datasets/hymenoptera" --weights-dir "$shared/pretrained" --out "$work/model"
run warm train "$shared/datasets/hymenoptera" --weights-dir "$shared/pretrained" --out "$work/model" --head 512,256
run predict predict "$work/model" "$shared/datasets/hymenoptera/val/ants"
run evaluate evaluate "$work/model" "$shared/datasets/hymenoptera"
sort -u "$work"/*.lst > src/main/cds/classes.lst
echo "src/main/cds/classes.lst: $(wc -l < src/main/cds/classes.lst) classes"
