#!/usr/bin/env python3
"""A/B of two or more server binaries on one workload (server CPU per request, latency, RSS). Run via bench/ab.sh.

Each round starts every binary fresh (one at a time, alternating the order between rounds), seeds nothing, runs the
same `cairn bench` workload against it with one load generator (the first cairn binary's bench command, so the client
is the same for every server), and stops it. Reports per round and the median per binary. The server's CPU time is
utime+stime from /proc/PID/stat around the run, divided by the successful requests.
"""

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import Server, bench, log, rss_mib  # noqa: E402  (same directory; shares the harness)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="+", help="server binaries to compare (label=path or path); a binary named etcd runs as etcd")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workload", default="put --key-size 8 --val-size 256 --conns 1 --clients 1 --total 5000",
                        help="cairn bench arguments (without --endpoints)")
    parser.add_argument("--base-dir", default=None, help="where the data dirs go (default: a temp dir under /tmp)")
    options = parser.parse_args()

    servers = []
    for spec in options.binaries:
        label, _, path = spec.rpartition("=")
        servers.append((label or path, os.path.abspath(path)))
    load_generator = next(path for _, path in servers if os.path.basename(path) != "etcd")
    args = shlex.split(options.workload)
    base_dir = options.base_dir or tempfile.mkdtemp(prefix="cairn-ab-")
    results = {label: [] for label, _ in servers}
    log(f"load average {os.getloadavg()}, workload: {options.workload}")
    for round_number in range(options.rounds):
        order = servers if round_number % 2 == 0 else list(reversed(servers))
        for label, path in order:
            server = Server("etcd" if os.path.basename(path) == "etcd" else "cairn", path, base_dir)
            try:
                time.sleep(1)
                idle = rss_mib(server.pid)
                report, cpu, _ = bench(load_generator, server, args)
                ok = max(1, report["succeeded"])
                figures = {
                    "cpu_us": cpu * 1e6 / ok,
                    "rps": report["requests_per_second"],
                    "p50": report["latency"]["percentiles_ms"]["p50"],
                    "p99": report["latency"]["percentiles_ms"]["p99"],
                    "idle": idle,
                    "failed": report["failed"],
                }
                results[label].append(figures)
                log(f"round {round_number + 1} {label:>12}: CPU {figures['cpu_us']:7.1f} µs/req  {figures['rps']:8.0f} req/s"
                    f"  p50 {figures['p50']:7.3f} ms  p99 {figures['p99']:8.3f} ms  idle RSS {idle:5.1f} MiB"
                    f"  failed {figures['failed']}")
            finally:
                server.stop()
    log(f"load average {os.getloadavg()}")
    print("| binary | CPU µs/req (each round) | median | req/s | p50 ms | p99 ms | idle RSS MiB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, rows in results.items():
        def med(key):
            return statistics.median(row[key] for row in rows)
        each = ", ".join(f"{row['cpu_us']:.0f}" for row in rows)
        print(f"| {label} | {each} | {med('cpu_us'):.0f} | {med('rps'):.0f} | {med('p50'):.3f} | {med('p99'):.3f} | {med('idle'):.1f} |")


if __name__ == "__main__":
    main()
