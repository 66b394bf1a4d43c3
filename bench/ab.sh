#!/usr/bin/env bash
# A/B of cairn binaries on one workload, fresh server per run, alternating order: see bench/ab.py.
#   bench/ab.sh before=/tmp/cairn.old after=out/cairn                       put 1/1, 5000 requests, 3 rounds
#   bench/ab.sh --rounds 4 --workload "put --conns 100 --clients 1000 --total 100000 --sequential-keys --key-space-size 100000" A=... B=...
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/ab.py "$@"
