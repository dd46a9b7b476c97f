"""One presenter to N subscribers through Podium's SFU, beside aiortc's stock MediaRelay path.

    .venv/bin/python -m bench.sfu --relay-clients 6,10 --sfu-clients 10,30,60

For each path and each N, in one run, with the same publisher and subscribers (issue 9 §7):
a fresh server process pinned to one core (``taskset -c 1``: ``bench.media_server``), one
publisher process (pre-encoded VP8 640x360 ~1.5 Mbit/s at 30 fps plus Opus) and the
subscribers (``bench.media_peers``; counting, never decoding) pinned to the other core
(``taskset -c 0``). The server's CPU is read from ``/proc/<pid>/stat`` (all its threads) over
the measured window, first with the publisher alone, then with N subscribers receiving; its
resident memory likewise. Frames per second, loss and glass-to-glass latency come from the
bench's own counters (``bench.media_analysis``): the publisher's send time of each frame
against the arrival of the frame's last packet at each subscriber, matched by RTP timestamp.

- ``relay``: decode once, encode per subscriber (``aiortc.contrib.media.MediaRelay``);
- ``sfu``: ``media.sfu.Sfu``: negotiate each peer, ``apply`` a ForwardingGraph in which every
  subscriber receives the presenter's audio and video; packets are forwarded, not re-encoded.

Results also go to ``var/bench-sfu-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from bench import media_analysis as analysis
from bench.http_server import free_port
from bench.media_report import HEADER, LEGEND, ratios, recording_cost, row, verdict

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


class Child:
    """A bench process: its stdout lines on a queue, its stderr in a file, its pid."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()

    def _pump(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.put(line.strip())

    def expect(self, word: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(word):
                return line
        tail = self.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.log.name}: no {word!r} within {timeout:.0f} s; stderr:\n{tail}")

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def ask(server_url: str, role: str) -> dict[str, Any]:
    """One JSON line to the server's signalling port (``mark`` / ``stats``), one back."""
    host, port = server_url.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(json.dumps({"role": role}).encode() + b"\n")
        answer: dict[str, Any] = json.loads(sock.makefile().readline())
        return answer


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def udp_errors() -> dict[str, int]:
    """The kernel's UDP drop counters (whole machine): a full socket buffer drops silently."""
    lines = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines()]
    names, values = [row for row in lines if row[0] == "Udp:"][:2]
    counts = dict(zip(names[1:], map(int, values[1:]), strict=True))
    return {k: counts.get(k, 0) for k in ("InErrors", "RcvbufErrors", "SndbufErrors")}


NICE = 0  # --nice: set once in main


def pinned(core: str, module: str, *args: str) -> list[str]:
    nice = ["nice", "-n", str(NICE)] if NICE else []
    return [*nice, "taskset", "-c", core, sys.executable, "-m", module, *args]


def measure(path: str, clients: int, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    """One path at one N: fresh server, publisher, subscribers; the window; the analysis."""
    tag = f"{path}-{clients}"
    mode, recording = (
        ("sfu", ["--record", args.record, "--directory", str(scratch / tag)])
        if path == "sfu+rec"
        else (path, [])
    )
    port = free_port()
    server_url = f"127.0.0.1:{port}"
    children: list[Child] = []
    try:
        server = Child(
            pinned(args.server_core, "bench.media_server", mode, "--port", str(port), *recording),
            scratch / f"{tag}-server.log",
        )
        children.append(server)
        server.expect("ready", 30)
        publisher = Child(
            pinned(
                args.peers_cores,
                "bench.media_peers",
                "publisher",
                "--server",
                server_url,
                "--out",
                str(scratch / f"{tag}-publisher.json"),
            ),
            scratch / f"{tag}-publisher.log",
        )
        children.append(publisher)
        publisher.expect("ready", 90)
        time.sleep(1.0)
        pid = server.process.pid
        idle_cpu0, idle_t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(args.idle_seconds)
        idle_cpu = (cpu_seconds(pid) - idle_cpu0) / (time.monotonic() - idle_t0)
        idle_rss = rss_mb(pid)
        groups = split(clients, args.subscriber_processes)
        subscribers = []
        for i, (first, count) in enumerate(groups):
            subscribers.append(
                Child(
                    pinned(
                        args.peers_cores,
                        "bench.media_peers",
                        "subscribers",
                        "--server",
                        server_url,
                        "--count",
                        str(count),
                        "--first",
                        str(first),
                        "--out",
                        str(scratch / f"{tag}-subscribers-{i}.json"),
                        "--buffer-kb",
                        str(args.buffer_kb),
                        *(["--full-receivers"] if args.full_receivers else []),
                    ),
                    scratch / f"{tag}-subscribers-{i}.log",
                )
            )
        children.extend(subscribers)
        for child in subscribers:
            child.expect("ready", 60 + 2 * clients)
        time.sleep(args.warm_up)
        load = os.getloadavg()
        peers_pids = [c.process.pid for c in [publisher, *subscribers]]
        before = ask(server_url, "stats")
        ask(server_url, "mark")
        udp0 = udp_errors()
        cpu0, peers0, t0 = cpu_seconds(pid), sum(map(cpu_seconds, peers_pids)), time.monotonic()
        time.sleep(args.seconds)
        cpu1, peers1, t1 = cpu_seconds(pid), sum(map(cpu_seconds, peers_pids)), time.monotonic()
        after = ask(server_url, "stats")
        udp1 = udp_errors()
        busy_rss = rss_mb(pid)
        load_after = os.getloadavg()
        for child in [publisher, *subscribers]:
            child.say(f"report {t0} {t1}")
        for child in [publisher, *subscribers]:
            child.process.wait(60)
    finally:
        for child in reversed(children):
            child.stop()
    sent_report = json.loads((scratch / f"{tag}-publisher.json").read_text())
    received: list[dict[str, Any]] = []
    for i in range(len(groups)):
        received += json.loads((scratch / f"{tag}-subscribers-{i}.json").read_text())
    sent = [tuple(p) for p in sent_report["sent"]]
    per = [analysis.subscriber(r["video"], r["audio"], sent, t0, t1) for r in received]
    latencies = [x for s in per for x in s.latencies]
    fps_mean = sum(s.fps for s in per) / len(per)
    cpu = (cpu1 - cpu0) / (t1 - t0)
    return {
        "path": path,
        "record": args.record if path == "sfu+rec" else None,
        "clients": clients,
        "seconds": t1 - t0,
        "cpu": cpu,
        "idle_cpu": idle_cpu,
        "cpu_per_client": (cpu - idle_cpu) / clients,
        # The same cost per subscriber served in full (30 fps): on a starved core the server
        # forwards less, and the raw figure flatters it.
        "cpu_per_full_client": (cpu - idle_cpu) / clients * 30 / max(fps_mean, 1.0),
        "rss_mb": busy_rss,
        "idle_rss_mb": idle_rss,
        "rss_per_client_mb": (busy_rss - idle_rss) / clients,
        "peers_cpu": (peers1 - peers0) / (t1 - t0),
        "fps_mean": fps_mean,
        "fps_min": min(s.fps for s in per),
        "frame_loss": analysis.loss(
            [(s.frames_expected - s.frames_lost, s.frames_expected) for s in per]
        ),
        "video_packet_loss": analysis.loss([s.video_packets for s in per]),
        "audio_packet_loss": analysis.loss([s.audio_packets for s in per]),
        "rtx_packets": sum(r["rtx"] for r in received),
        "latency_ms": {
            f"p{int(q * 100)}": 1000 * analysis.percentile(latencies, q) for q in (0.5, 0.95, 0.99)
        },
        "latency_max_ms": 1000 * max(latencies, default=float("nan")),
        "video_kbit_s": sent_report["video_kbit_s"],
        "loadavg": [load, load_after],
        "server_loop_lag": after["loop_lag"],
        "udp_drops": {k: udp1[k] - udp0[k] for k in udp0},
        "sfu_counters": {"before": before.get("sfu"), "after": after.get("sfu")},
    }


def split(clients: int, processes: int) -> list[tuple[int, int]]:
    """(first, count) of each subscriber process, as even as can be."""
    processes = max(1, min(processes, clients))
    sizes = [clients // processes + (i < clients % processes) for i in range(processes)]
    return [(sum(sizes[:i]), size) for i, size in enumerate(sizes)]


def parse_counts(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sfu", description=__doc__)
    parser.add_argument(
        "--relay-clients",
        type=parse_counts,
        default=[6, 10],
        help="subscriber counts for the stock MediaRelay path (comma-separated)",
    )
    parser.add_argument(
        "--sfu-clients",
        type=parse_counts,
        default=[10, 30, 60],
        help="subscriber counts for Podium's SFU",
    )
    parser.add_argument(
        "--record-clients",
        type=parse_counts,
        default=[],
        help="also the SFU recording both tracks, at these counts",
    )
    parser.add_argument(
        "--record",
        choices=["null", "webm"],
        default="webm",
        help="webm: media.recording.raw's writer; null: sinks that only count",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window")
    parser.add_argument("--warm-up", type=float, default=3.0, help="after all have joined")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="publisher alone")
    parser.add_argument("--server-core", default="1", help="taskset -c for the server")
    parser.add_argument("--peers-cores", default="0", help="taskset -c for publisher/subscribers")
    parser.add_argument("--subscriber-processes", type=int, default=1)
    parser.add_argument(
        "--full-receivers",
        action="store_true",
        help="subscribers run aiortc's whole receive path (NACKs, RTCP) too",
    )
    parser.add_argument(
        "--buffer-kb",
        type=int,
        default=2048,
        help="subscribers' UDP receive buffer (SO_RCVBUF, capped by net.core.rmem_max; 0: "
        "the kernel's default)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run every bench process under nice -n NICE (negative: ahead of "
        "the machine's other work; say so with the figures)",
    )
    parser.add_argument("--report", type=Path, help="print a saved run's table (its JSON) again")
    args = parser.parse_args(argv)
    if args.report:
        saved = [r for r in json.loads(args.report.read_text()) if "clients" in r]
        print(
            "\n".join(
                [
                    HEADER,
                    *map(row, saved),
                    "",
                    *ratios(saved),
                    *recording_cost(saved),
                    verdict(saved),
                ]
            )
        )
        return 0
    global NICE
    NICE = args.nice
    stamp = time.strftime("%Y%m%dT%H%M%S")
    scratch = ROOT / "var" / f"bench-sfu-{stamp}"
    scratch.mkdir(parents=True, exist_ok=True)
    runs = [("relay", n) for n in args.relay_clients] + [("sfu", n) for n in args.sfu_clients]
    runs += [("sfu+rec", n) for n in args.record_clients]
    results = []
    print(HEADER, flush=True)
    for path, clients in runs:
        results.append(measure(path, clients, args, scratch))
        print(row(results[-1]), flush=True)
    report = ["", *ratios(results), *recording_cost(results), verdict(results), "", LEGEND]
    print("\n".join(report), flush=True)
    if args.record_clients:
        print("\nthe recorder's own bench, on the server's core (bench.recording):", flush=True)
        sink = subprocess.run(
            pinned(args.server_core, "bench.recording", "--seconds", "30"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        print(sink.stdout or sink.stderr[-2000:], flush=True)
        results.append({"path": "bench.recording", "output": sink.stdout})
    (ROOT / "var" / f"bench-sfu-{stamp}.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
