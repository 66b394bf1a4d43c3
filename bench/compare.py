#!/usr/bin/env python3
"""Side-by-side benchmark of Cairn and real etcd on this machine (issue 6). Run through bench/compare.sh.

Both servers start fresh on loopback (temp data dirs under one directory, same quota, single node). Each round
starts both, runs every workload against each alternately (A B, then B A in the next round, so drift hits both),
reads first (on a fresh server, before the write bursts), and stops both. Per workload and server it records the
bench's JSON report and the server's CPU time (utime+stime from /proc/PID/stat) per successful request. The table
shows the median over the rounds and the Cairn/etcd ratio.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
QUOTA_BYTES = 8 * 1024 * 1024 * 1024


def log(message):
    print(f"[compare {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid, field="VmRSS"):
    """Resident memory from /proc/PID/status: VmRSS (all), RssAnon (heap and stacks) or RssFile (mapped files)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    """One fresh server process on free loopback ports."""

    def __init__(self, kind, binary, base_dir):
        self.kind = kind
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix=f"{kind}-", dir=base_dir)
        self.endpoint = f"127.0.0.1:{self.port}"
        url = f"http://{self.endpoint}"
        if kind == "etcd":
            peer = f"http://127.0.0.1:{free_port()}"
            args = [binary, "--name", "bench", "--data-dir", self.data_dir, "--listen-client-urls", url,
                    "--advertise-client-urls", url, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", f"bench={peer}", "--quota-backend-bytes", str(QUOTA_BYTES),
                    "--log-level", "error"]
        else:
            args = [binary, "serve", "--name", "bench", "--data-dir", self.data_dir, "--listen-client-urls", url,
                    "--advertise-client-urls", url, "--quota-backend-bytes", str(QUOTA_BYTES)]
        self.log_file = open(os.path.join(base_dir, f"{kind}-{self.port}.log"), "w")
        started = time.monotonic()
        self.process = subprocess.Popen(args, stdout=self.log_file, stderr=subprocess.STDOUT)
        self.healthy_seconds = self._wait_healthy(started)

    def _wait_healthy(self, started):
        deadline = started + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.process.returncode}; see {self.log_file.name}")
            try:
                with urllib.request.urlopen(f"http://{self.endpoint}/health", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.002)
        raise RuntimeError(f"{self.kind} not healthy after 60 s; see {self.log_file.name}")

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def bench(cairn, server, args):
    """Runs `cairn bench ARGS -w json` against a server; returns (report, server CPU seconds, wall seconds)."""
    command = [cairn, "bench", *args, "--endpoints", server.endpoint, "-w", "json", "--no-progress"]
    cpu_before = cpu_seconds(server.pid)
    wall_before = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    wall = time.monotonic() - wall_before
    cpu = cpu_seconds(server.pid) - cpu_before
    if not done.stdout.strip():
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    report = json.loads(done.stdout)
    if report["failed"] > 0:
        log(f"  {server.kind}: {report['failed']} failed: {report['errors']}")
    return report, cpu, wall


def workloads(quick):
    """(name, bench arguments, write burst?) in run order: reads first, on a fresh server."""
    scale = 0.2 if quick else 1.0

    def n(total):
        return str(max(100, int(total * scale)))

    put = ["--key-size", "8", "--val-size", "256"]
    wide = ["--sequential-keys", "--key-space-size", "100000"]
    return [
        ("range s 1/1", ["range", "bench-key", "--consistency", "s", "--conns", "1", "--clients", "1", "--total", n(20000)]),
        ("range l 1/1", ["range", "bench-key", "--consistency", "l", "--conns", "1", "--clients", "1", "--total", n(20000)]),
        ("range s 100/1000", ["range", "bench-key", "--consistency", "s", "--conns", "100", "--clients", "1000", "--total", n(200000)]),
        ("range l 100/1000", ["range", "bench-key", "--consistency", "l", "--conns", "100", "--clients", "1000", "--total", n(200000)]),
        ("watch 10x100", ["watch", "--conns", "10", "--streams", "10", "--watch-per-stream", "100", "--put-total", n(2000)]),
        ("lease-keepalive 10/100", ["lease-keepalive", "--conns", "10", "--clients", "100", "--total", n(100000)]),
        ("put 1/1", ["put", *put, "--conns", "1", "--clients", "1", "--total", n(5000)]),
        ("put 10/100", ["put", *put, *wide, "--conns", "10", "--clients", "100", "--total", n(50000)]),
        ("put 100/1000", ["put", *put, *wide, "--conns", "100", "--clients", "1000", "--total", n(200000)]),
        ("txn-put 10/100", ["txn-put", *put, "--key-space-size", "100000", "--conns", "10", "--clients", "100", "--total", n(50000)]),
    ]


def seed(cairn, server):
    """The key the range workloads read (etcd's benchmark reads an existing key too)."""
    report, _, _ = bench(cairn, server, ["put", "--total", "1", "--key-size", "8", "--val-size", "256"])
    subprocess.run([cairn, "put", "bench-key", "v" * 256, "--endpoints", server.endpoint],
                   check=True, capture_output=True, timeout=30)
    return report


def run_rounds(options, base_dir, floors=None):
    """results[workload][kind] = list of per-round figures; startup[kind] = list of seconds; idle RSS too.
    When floors is a list, the fdatasync floor is measured before each round's put 1/1 and appended to it."""
    results, startup, idle = {}, {"cairn": [], "etcd": []}, {"cairn": [], "etcd": []}
    kinds = ["cairn", "etcd"] if options.only is None else [options.only]
    for round_number in range(options.rounds):
        order = kinds if round_number % 2 == 0 else list(reversed(kinds))
        servers = {}
        try:
            for kind in order:
                servers[kind] = Server(kind, options.cairn if kind == "cairn" else options.etcd, base_dir)
                startup[kind].append(servers[kind].healthy_seconds)
            time.sleep(1)
            for kind in order:
                idle[kind].append(rss_mib(servers[kind].pid))
                seed(options.cairn, servers[kind])
            for name, args in workloads(options.quick):
                if name == "put 1/1" and floors is not None:
                    # Next to the put it bounds: the disk's fdatasync latency moves with the other users of the disk.
                    floor = fio_floor(base_dir)
                    if floor:
                        floors.append(floor)
                        log(f"round {round_number + 1} fdatasync floor: {floor}")
                for kind in order:
                    report, cpu, wall = bench(options.cairn, servers[kind], args)
                    ok = max(1, report["succeeded"])
                    figures = {
                        "rps": report["requests_per_second"],
                        "p50": report["latency"]["percentiles_ms"]["p50"],
                        "p99": report["latency"]["percentiles_ms"]["p99"],
                        "cpu_us": cpu * 1e6 / ok,
                        "client_cpu_us": report["client_cpu_micros_per_request"],
                        "failed": report["failed"],
                        "rss": rss_mib(servers[kind].pid),
                    }
                    results.setdefault(name, {}).setdefault(kind, []).append(figures)
                    log(f"round {round_number + 1} {name:>22} {kind:>5}: {figures['rps']:9.0f} req/s  p50 {figures['p50']:7.3f} ms"
                        f"  p99 {figures['p99']:8.3f} ms  server CPU {figures['cpu_us']:6.1f} µs/req  client CPU"
                        f" {figures['client_cpu_us']:6.1f} µs/req  RSS {figures['rss']:6.1f} MiB  failed {figures['failed']}")
        finally:
            for server in servers.values():
                server.stop()
    return results, startup, idle


def memory(options, base_dir):
    """RSS idle, after 100k and (full mode) 1M keys of 256-byte values, loaded by cairn bench put."""
    steps = [100_000] if options.quick else [100_000, 1_000_000]
    kinds = ["cairn", "etcd"] if options.only is None else [options.only]
    rss = {}
    for kind in kinds:
        server = Server(kind, options.cairn if kind == "cairn" else options.etcd, base_dir)
        try:
            time.sleep(1)
            rss[(kind, 0)] = rss_mib(server.pid)
            rss[(kind, 0, "anon")] = rss_mib(server.pid, "RssAnon")
            rss[(kind, 0, "file")] = rss_mib(server.pid, "RssFile")
            loaded = 0
            for keys in steps:
                bench(options.cairn, server, ["put", "--key-size", "16", "--val-size", "256", "--sequential-keys",
                                              "--key-space-size", str(keys), "--key-start", str(loaded),
                                              "--total", str(keys - loaded), "--conns", "10", "--clients", "200"])
                loaded = keys
                time.sleep(2)
                rss[(kind, keys)] = rss_mib(server.pid)
                rss[(kind, keys, "anon")] = rss_mib(server.pid, "RssAnon")
                rss[(kind, keys, "file")] = rss_mib(server.pid, "RssFile")
                log(f"memory {kind}: {keys} keys → {rss[(kind, keys)]:.1f} MiB (anonymous {rss[(kind, keys, 'anon')]:.1f},"
                    f" mapped files {rss[(kind, keys, 'file')]:.1f})")
        finally:
            server.stop()
    return steps, rss


def fio_floor(base_dir):
    """fdatasync latency of 4 KiB writes in the servers' directory: the floor of a durable put. The file is laid out
    first (--overwrite=1), as both servers' logs are preallocated: writes into a file that grows or has unwritten
    extents pay ext4 journal commits on top (several ms at p90 on this disk), which no WAL here pays per put."""
    if shutil.which("fio") is None:
        return None
    done = subprocess.run(["fio", "--name=fsync", f"--directory={base_dir}", "--rw=write", "--bs=4k", "--size=16m",
                           "--fdatasync=1", "--ioengine=sync", "--overwrite=1", "--output-format=json"],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        log(f"fio failed: {done.stderr.strip()}")
        return None
    sync = json.loads(done.stdout)["jobs"][0]["sync"]["lat_ns"]
    percentiles = sync.get("percentile", {})
    return {"mean_ms": sync["mean"] / 1e6,
            "p50_ms": percentiles.get("50.000000", float("nan")) / 1e6,
            "p99_ms": percentiles.get("99.000000", float("nan")) / 1e6}


def ratio(cairn, etcd):
    return cairn / etcd if etcd else float("nan")


def median(values):
    return statistics.median(values) if values else float("nan")


def table(options, results, startup, idle, steps, rss, floor, load_before, load_after):
    lines = [f"Command: `bench/compare.sh{' --quick' if options.quick else ''}{f' --rounds {options.rounds}'}`, "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, load average before "
             f"{load_before}, after {load_after}. Medians of {options.rounds} rounds (A B / B A alternation, both servers "
             "fresh each round). Ratios are Cairn/etcd.", "",
             "| workload | Cairn req/s | etcd req/s | ratio | Cairn p50 ms | etcd p50 ms | ratio | Cairn p99 ms | etcd p99 ms "
             "| ratio | Cairn CPU µs/req | etcd CPU µs/req | ratio | bench CPU µs/req (C/e) | failed (C/e) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, by_kind in results.items():
        c = {k: median([r[k] for r in by_kind.get("cairn", [])]) for k in ("rps", "p50", "p99", "cpu_us", "client_cpu_us")}
        e = {k: median([r[k] for r in by_kind.get("etcd", [])]) for k in ("rps", "p50", "p99", "cpu_us", "client_cpu_us")}
        failed_c = sum(r["failed"] for r in by_kind.get("cairn", []))
        failed_e = sum(r["failed"] for r in by_kind.get("etcd", []))
        lines.append(f"| {name} | {c['rps']:.0f} | {e['rps']:.0f} | {ratio(c['rps'], e['rps']):.2f} | {c['p50']:.3f} | "
                     f"{e['p50']:.3f} | {ratio(c['p50'], e['p50']):.2f} | {c['p99']:.3f} | {e['p99']:.3f} | "
                     f"{ratio(c['p99'], e['p99']):.2f} | {c['cpu_us']:.1f} | {e['cpu_us']:.1f} | "
                     f"{ratio(c['cpu_us'], e['cpu_us']):.2f} | {c['client_cpu_us']:.1f} / {e['client_cpu_us']:.1f} | "
                     f"{failed_c} / {failed_e} |")
    lines += ["", "| figure | Cairn | etcd | ratio |", "|---|---:|---:|---:|"]
    sc, se = median(startup["cairn"]) * 1000, median(startup["etcd"]) * 1000
    lines.append(f"| start to healthy, ms (median) | {sc:.0f} | {se:.0f} | {ratio(sc, se):.2f} |")
    ic, ie = median(idle["cairn"]), median(idle["etcd"])
    lines.append(f"| RSS idle after start, MiB | {ic:.1f} | {ie:.1f} | {ratio(ic, ie):.2f} |")
    for keys in [0, *steps]:
        c, e = rss.get(("cairn", keys), float("nan")), rss.get(("etcd", keys), float("nan"))
        label = "idle (memory run)" if keys == 0 else f"after {keys:,} keys (16 B keys, 256 B values)"
        lines.append(f"| RSS {label}, MiB | {c:.1f} | {e:.1f} | {ratio(c, e):.2f} |")
        ca, ea = rss.get(("cairn", keys, "anon"), float("nan")), rss.get(("etcd", keys, "anon"), float("nan"))
        cf, ef = rss.get(("cairn", keys, "file"), float("nan")), rss.get(("etcd", keys, "file"), float("nan"))
        lines.append(f"| … of which anonymous / mapped files, MiB | {ca:.1f} / {cf:.1f} | {ea:.1f} / {ef:.1f} | "
                     f"{ratio(ca, ea):.2f} / {ratio(cf, ef):.2f} |")
    for name in ("put 100/1000",):
        if name in results:
            c = median([r["rss"] for r in results[name].get("cairn", [])])
            e = median([r["rss"] for r in results[name].get("etcd", [])])
            lines.append(f"| RSS after {name}, MiB | {c:.1f} | {e:.1f} | {ratio(c, e):.2f} |")
    if floor:
        lines.append(f"| fio fdatasync 4 KiB (floor, median of the rounds, taken just before put 1/1), ms: p50 / p99 / mean | {floor['p50_ms']:.3f} / "
                     f"{floor['p99_ms']:.3f} / {floor['mean_ms']:.3f} | | |")
        if "put 1/1" in results:
            p50 = median([r["p50"] for r in results["put 1/1"].get("cairn", [])])
            pe = median([r["p50"] for r in results["put 1/1"].get("etcd", [])])
            lines.append(f"| put 1/1 p50 ÷ fdatasync p50 | {ratio(p50, floor['p50_ms']):.2f} | "
                         f"{ratio(pe, floor['p50_ms']):.2f} | |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a fifth of the requests, one memory step (~3 min)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of A B alternation (default 2, quick 1)")
    parser.add_argument("--only", choices=["cairn", "etcd"], help="run against one server only")
    parser.add_argument("--cairn", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "cairn"))
    parser.add_argument("--etcd", default="/usr/bin/etcd")
    parser.add_argument("--base-dir", default=None, help="where the data dirs go (default: a temp dir under /tmp)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--output", default=None, help="also write the markdown table to this file")
    options = parser.parse_args()
    if options.rounds is None:
        options.rounds = 1 if options.quick else 2
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")
    options.cairn = os.path.abspath(options.cairn)
    for binary in (options.cairn, options.etcd):
        if not os.access(binary, os.X_OK):
            parser.error(f"{binary} is not an executable; build Cairn with ./build.sh first")
    base_dir = tempfile.mkdtemp(prefix="cairn-compare-", dir=options.base_dir)
    try:
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        log(f"load average {load_before}; data under {base_dir}")
        floors = []
        results, startup, idle = run_rounds(options, base_dir, floors)
        floor = None
        if floors:
            floor = {key: median([f[key] for f in floors]) for key in ("p50_ms", "p99_ms", "mean_ms")}
        steps, rss = ([], {}) if options.skip_memory else memory(options, base_dir)
        load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
        markdown = table(options, results, startup, idle, steps, rss, floor, load_before, load_after)
        print(markdown)
        if options.output:
            with open(options.output, "w") as f:
                f.write(markdown)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
