#!/usr/bin/env bash
# The one entry point for building and testing Cairn on Debian 12.
#
#   ./build.sh               install missing system packages, publish the native-AOT binary to out/cairn
#   ./build.sh test          everything above, then every test suite (installs what the tests need)
#   ./build.sh toml-decoder  build the toml-test decoder tool and print its path
#   ./build.sh simulate SEEDS [FIRST_SEED]  run the deterministic Raft cluster simulator over SEEDS seeds (docs/RAFT.md)
#   ./build.sh help          this text
#
# Environment: CAIRN_AOT_TFM (default net9.0) is the target framework of the native binary; set it to
# net10.0 where the .NET 10 NativeAOT runtime pack is available (see README, "Build").
set -euo pipefail
cd "$(dirname "$0")"

readonly AOT_TFM="${CAIRN_AOT_TFM:-net9.0}"
readonly OUT="$PWD/out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages that are missing; does nothing (and needs no root) when all are present.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "build.sh: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

require_dotnet() {
  command -v dotnet >/dev/null || { echo "build.sh: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
}

publish() {
  require_dotnet
  # clang links the native binary; zlib1g-dev is the compression library the runtime links against.
  ensure_packages clang zlib1g-dev
  log "publishing native-AOT cairn ($AOT_TFM) to out/cairn"
  dotnet publish src/Cairn/Cairn.csproj -c Release -r linux-x64 -p:CairnTargetFramework="$AOT_TFM" \
    -o "$OUT/publish" -nologo -v quiet
  cp "$OUT/publish/cairn" "$OUT/cairn"
  log "built $OUT/cairn ($(du -h "$OUT/cairn" | cut -f1))"
}

# What the test suites drive the binary with: real etcd as the oracle, stock etcdctl, the Python and Node
# etcd clients, curl; Patroni and PostgreSQL for the gateway scenario.
ensure_test_dependencies() {
  ensure_packages etcd-server etcd-client python3-etcd3 curl iproute2 iptables iputils-ping patroni postgresql
  # Node.js may come from outside Debian (this machine's image has its own); only install Debian's if absent.
  command -v npm >/dev/null || ensure_packages nodejs npm
  log "installing the npm etcd3 client for the tests"
  npm ci --prefix tests/clients/node --no-audit --no-fund --loglevel=error
}

run_tests() {
  publish
  ensure_test_dependencies
  log "running every test suite against $OUT/cairn"
  mkdir -p "$OUT"
  local status=0
  # The suites run in parallel and their output interleaves: keep it all in out/test-log.txt and end with the
  # failures, so the last lines of a red run name what failed.
  CAIRN_BIN="$OUT/cairn" dotnet test Appliance.sln -c Release -nologo \
    --logger "console;verbosity=normal" -- RunConfiguration.TreatNoTestsAsError=false 2>&1 |
    tee "$OUT/test-log.txt" || status=$?
  if ((status != 0)); then
    log "tests failed (exit $status); the failed tests (whole log: out/test-log.txt):"
    # -a: a test's output may carry non-text bytes, and grep would then only say "binary file matches".
    grep -a -E '^\s+Failed |^\s+(Error Message|Total tests|Failed):|Test Run (Failed|Aborted)|aborted|crashed|error MSB' \
      "$OUT/test-log.txt" -A12 >&2 || true
  fi
  return "$status"
}

toml_decoder() {
  require_dotnet
  dotnet build tools/Cairn.TomlDecoder/Cairn.TomlDecoder.csproj -c Release -nologo -v quiet -o "$OUT/toml-decoder" >&2
  echo "$OUT/toml-decoder/cairn-toml-decoder"
}

simulate() {
  require_dotnet
  (($# >= 1)) || { echo "build.sh: simulate needs SEEDS, e.g. ./build.sh simulate 10000 [FIRST_SEED]" >&2; exit 2; }
  dotnet build tools/Cairn.RaftSimulator/Cairn.RaftSimulator.csproj -c Release -nologo -v quiet -o "$OUT/raft-simulator" >&2
  dotnet "$OUT/raft-simulator/cairn-raft-simulator.dll" "$@"
}

case "${1:-publish}" in
  publish | build) publish ;;
  test) run_tests ;;
  toml-decoder) toml_decoder ;;
  simulate) shift; simulate "$@" ;;
  help | -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "build.sh: unknown command '$1' (try ./build.sh help)" >&2; exit 2 ;;
esac
