#!/usr/bin/env python3
"""Put throughput and latency of a 3-member Cairn cluster vs a 3-member etcd 3.4 cluster on this machine.

Each system in turn: three members on loopback (fresh data directories under one temp directory, same disk),
wait until all three are healthy, run every workload with the same `cairn bench put` command, stop the members.
Workloads: put 1/1 and put 100/1000 (connections/clients), once against the leader (--target-leader) and once
spread over all three endpoints. Prints a markdown table (Cairn/etcd ratios) with the load average; see
docs/BENCHMARKS.md, "3-member clusters".
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAIRN = os.path.join(ROOT, "out", "cairn")
ETCD = "/usr/bin/etcd"

# (name, conns, clients, total, key space, target leader)
WORKLOADS = [
    ("put 1/1, leader", 1, 1, 5000, 1, True),
    ("put 1/1, all members", 1, 1, 5000, 1, False),
    ("put 100/1000, leader", 100, 1000, 200000, 100000, True),
    ("put 100/1000, all members", 100, 1000, 200000, 100000, False),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Three members of one system on loopback."""

    def __init__(self, system, root):
        self.system = system
        self.ports = [(free_port(), free_port()) for _ in range(3)]
        self.dirs = [os.path.join(root, f"{system}-m{i}") for i in range(3)]
        self.processes = []

    @property
    def endpoints(self):
        return ",".join(f"127.0.0.1:{client}" for client, _ in self.ports)

    def start(self):
        initial = ",".join(f"m{i}=http://127.0.0.1:{peer}" for i, (_, peer) in enumerate(self.ports))
        for i, (client, peer) in enumerate(self.ports):
            flags = ["--name", f"m{i}", "--data-dir", self.dirs[i],
                     "--listen-client-urls", f"http://127.0.0.1:{client}", "--advertise-client-urls", f"http://127.0.0.1:{client}",
                     "--listen-peer-urls", f"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                     "--initial-cluster", initial, "--initial-cluster-token", f"bench-{self.system}",
                     "--initial-cluster-state", "new", "--quota-backend-bytes", "8589934592"]
            command = [ETCD, *flags] if self.system == "etcd" else [CAIRN, "serve", *flags]
            log = open(self.dirs[i] + ".log", "w")
            self.processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
        deadline = time.time() + 60
        for client, _ in self.ports:
            while not healthy(client):
                if time.time() > deadline:
                    raise SystemExit(f"{self.system}: member on port {client} not healthy after 60 s")
                time.sleep(0.1)

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return response.status == 200 and b"true" in response.read()
    except OSError:
        return False


def bench(cluster, conns, clients, total, key_space, leader):
    command = [CAIRN, "bench", "put", "--endpoints", cluster.endpoints, "--conns", str(conns), "--clients", str(clients),
               "--total", str(total), "--key-size", "8", "--val-size", "256", "--key-space-size", str(key_space),
               "-w", "json", "--no-progress"]
    if leader:
        command.append("--target-leader")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    report = json.loads(output)
    return {"rps": report["requests_per_second"], "p50": report["latency"]["percentiles_ms"]["p50"],
            "p99": report["latency"]["percentiles_ms"]["p99"], "failed": report["failed"]}


def ratio(a, b):
    return f"{a / b:.2f}" if b else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every request count (e.g. 0.1 for a quick run)")
    parser.add_argument("--output", help="also write the markdown table to this file")
    parser.add_argument("--etcd-first", action="store_true", help="run etcd before Cairn (alternate between runs)")
    args = parser.parse_args()
    for path in (CAIRN, ETCD):
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing (./build.sh builds out/cairn; etcd comes from the etcd-server package)")

    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    root = tempfile.mkdtemp(prefix="cairn-cluster-bench-")
    results = {}
    try:
        order = ("etcd", "cairn") if args.etcd_first else ("cairn", "etcd")
        for system in order:
            cluster = Cluster(system, root)
            cluster.start()
            try:
                for name, conns, clients, total, key_space, leader in WORKLOADS:
                    results[(system, name)] = bench(cluster, conns, clients, max(conns, int(total * args.scale)), key_space, leader)
                    print(f"{system:5} {name:26} {results[(system, name)]}", file=sys.stderr)
            finally:
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    load_after = os.getloadavg()

    lines = [
        f"Command: `bench/compare-cluster.sh{' --scale ' + str(args.scale) if args.scale != 1.0 else ''}"
        f"{' --etcd-first' if args.etcd_first else ''}`, {started}, "
        f"{os.cpu_count()} CPUs, load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}. Three members each on loopback; "
        f"{' first, then '.join('Cairn' if s == 'cairn' else 'etcd' for s in order)}. "
        "Ratios are Cairn/etcd.",
        "",
        "| workload | Cairn req/s | etcd req/s | ratio | Cairn p50 ms | etcd p50 ms | Cairn p99 ms | etcd p99 ms | failed (C/e) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, *_ in WORKLOADS:
        c, e = results[("cairn", name)], results[("etcd", name)]
        lines.append(f"| {name} | {c['rps']:.0f} | {e['rps']:.0f} | {ratio(c['rps'], e['rps'])} | {c['p50']:.3f} | {e['p50']:.3f} "
                     f"| {c['p99']:.3f} | {e['p99']:.3f} | {c['failed']} / {e['failed']} |")
    table = "\n".join(lines)
    print(table)
    if args.output:
        with open(args.output, "w") as file:
            file.write(table + "\n")


if __name__ == "__main__":
    main()
