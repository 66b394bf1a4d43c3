#!/usr/bin/env bash
# Resident memory of one fresh server before and after a burst of 1,000,000 puts (16 B keys, 256 B values), then
# 10 s and 40 s later: shows whether a server gives memory back once it is idle.
# Usage: bench/memory-after-burst.sh cairn|etcd [PORT]      (run from the repository root after ./build.sh)
set -euo pipefail
kind=${1:?usage: bench/memory-after-burst.sh cairn|etcd [PORT]}
port=${2:-24700}
cairn=$(cd "$(dirname "$0")/.." && pwd)/out/cairn
data=$(mktemp -d /tmp/cairn-memory.XXXXXX)
urls=(--listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port")
case "$kind" in
  cairn) "$cairn" serve --data-dir "$data/d" "${urls[@]}" >"$data/log" 2>&1 & ;;
  etcd) etcd --data-dir "$data/d" "${urls[@]}" --listen-peer-urls "http://127.0.0.1:$((port + 1))" \
          --initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" \
          --initial-cluster "default=http://127.0.0.1:$((port + 1))" >"$data/log" 2>&1 & ;;
  *) echo "usage: bench/memory-after-burst.sh cairn|etcd [PORT]" >&2; exit 2 ;;
esac
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
rss() { printf '%-22s' "$1:"; awk '/^VmRSS|^RssAnon/ { printf "%s %.1f MiB  ", $1, $2 / 1024 } END { print "" }' "/proc/$pid/status"; }
sleep 1; rss "idle"
"$cairn" bench --endpoints "127.0.0.1:$port" --conns 10 --clients 200 --total 1000000 --no-progress \
  put --key-size 16 --val-size 256 --sequential-keys --key-space-size 1000000 >/dev/null
sleep 2; rss "2 s after the burst"
sleep 8; rss "10 s after"
sleep 30; rss "40 s after"
