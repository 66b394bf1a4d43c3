#!/usr/bin/env bash
# Cairn vs real etcd, side by side on this machine: see bench/compare.py (and docs/BENCHMARKS.md) for what it runs.
#   bench/compare.sh                 full run (2 rounds, memory up to 1M keys; ~15 min on 2 cores)
#   bench/compare.sh --quick         fewer requests, 1 round, memory up to 100k keys (~3 min)
#   bench/compare.sh --only etcd     one server only;  --output FILE writes the markdown table too
# Needs out/cairn (./build.sh), /usr/bin/etcd, fio (optional: the fdatasync floor) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/compare.py "$@"
