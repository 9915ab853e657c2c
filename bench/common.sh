# Sourced by bench scripts: the repository root as the working folder, the shared data, python, the
# machine's description and tag for result file names, offline runs, and the CLI built before any timing.
#   source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${TRANSFER4J_SHARED:-$root/../shared}"
py=/usr/bin/python3
export TRANSFER4J_OFFLINE=1
machine="$(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tag="$(nproc)c-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | awk '{print tolower($1 "-" $2)}')"
./transfer4j --version >/dev/null
