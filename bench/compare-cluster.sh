#!/usr/bin/env bash
# A 3-member Cairn cluster vs a 3-member etcd 3.4 cluster on this machine (all members on loopback), put throughput
# and latency with the same `cairn bench put` command: see bench/compare_cluster.py and docs/BENCHMARKS.md.
#   bench/compare-cluster.sh               put 1/1 (5k requests) and put 100/1000 (200k), to the leader and to all members
#   bench/compare-cluster.sh --scale 0.1   a tenth of the requests (a quick check of the script)
#   bench/compare-cluster.sh --output FILE also writes the markdown table to FILE
#   bench/compare-cluster.sh --etcd-first  etcd's cluster before Cairn's (alternate the order between runs)
# Needs out/cairn (./build.sh), /usr/bin/etcd and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/compare_cluster.py "$@"
