"""The media bench's table: each path's figures, the SFU against the stock path of the same
run, the recording's cost per track and the verdict against issue 9's target."""

from __future__ import annotations

from typing import Any

TARGET_CLIENTS, TARGET_CPU, TARGET_FPS, TARGET_LOSS = 60, 0.70, 29.0, 0.005


HEADER = (
    f"{'path':<7}{'N':>4}{'cpu %':>7}{'%/sub':>7}{'@30fps':>7}{'subs/70%':>9}{'MB':>6}{'MB/sub':>7}"
    f"{'fps':>6}{'min':>6}{'f.loss%':>8}{'p.loss%':>8}{'a.loss%':>8}"
    f"{'p50 ms':>8}{'p99 ms':>8}{'lag ms':>7}{'udp drop':>9}{'peers%':>7}{'load':>6}"
)


def per_core(result: dict[str, Any]) -> float:
    """Subscribers one core carries at 70 % by this run's cost per subscriber."""
    per = result["cpu_per_full_client"]
    return (TARGET_CPU - result["idle_cpu"]) / per if per > 0 else float("inf")


def row(r: dict[str, Any]) -> str:
    return (
        f"{r['path']:<7}{r['clients']:>4}{100 * r['cpu']:>7.1f}{100 * r['cpu_per_client']:>7.2f}"
        f"{100 * r['cpu_per_full_client']:>7.2f}"
        f"{per_core(r):>9.0f}{r['rss_mb']:>6.0f}{r['rss_per_client_mb']:>7.2f}"
        f"{r['fps_mean']:>6.1f}{r['fps_min']:>6.1f}{100 * r['frame_loss']:>8.2f}"
        f"{100 * r['video_packet_loss']:>8.2f}{100 * r['audio_packet_loss']:>8.2f}"
        f"{r['latency_ms']['p50']:>8.1f}{r['latency_ms']['p99']:>8.1f}"
        f"{r['server_loop_lag']['p50_ms']:>7.1f}{r['udp_drops']['RcvbufErrors']:>9}"
        f"{100 * r['peers_cpu']:>7.0f}{r['loadavg'][0][0]:>6.1f}"
    )


def ratios(results: list[dict[str, Any]]) -> list[str]:
    """The SFU against the stock path of the same run: per-subscriber cost and capacity."""
    relay = [r for r in results if r["path"] == "relay"]
    sfu = [r for r in results if r["path"] == "sfu"]
    if not relay or not sfu:
        return []
    # The largest N the stock path still served in full: beyond it its latency is its backlog.
    held = [r for r in relay if r["fps_min"] >= TARGET_FPS] or relay
    base = max(held, key=lambda r: r["clients"])
    lines = [f"against the stock path at N={base['clients']}, its largest at full rate (same run):"]
    for r in sfu:
        same = next((b for b in relay if b["clients"] == r["clients"]), None)
        cost = r["cpu_per_full_client"] / base["cpu_per_full_client"]
        lines.append(
            f"  sfu N={r['clients']}: CPU per subscriber x{cost:.3f}"
            f", subscribers per core at 70% x{per_core(r) / per_core(base):.1f}"
            f", memory per subscriber x{r['rss_per_client_mb'] / base['rss_per_client_mb']:.2f}"
            f", p50 latency x{r['latency_ms']['p50'] / base['latency_ms']['p50']:.2f}"
            + (f"; at the same N, total CPU x{r['cpu'] / same['cpu']:.2f}" if same else "")
        )
    return lines


def recording_cost(results: list[dict[str, Any]]) -> list[str]:
    """CPU and memory a recorded track adds: sfu+rec against sfu at the same N, per track."""
    lines = []
    for r in (r for r in results if r["path"] == "sfu+rec"):
        plain = next(
            (p for p in results if p["path"] == "sfu" and p["clients"] == r["clients"]), None
        )
        if plain is not None:
            lines.append(
                f"recording ({r['record']}) at N={r['clients']}: "
                f"{100 * (r['cpu'] - plain['cpu']) / 2:+.2f}% of a core per track "
                f"(publisher alone: {100 * (r['idle_cpu'] - plain['idle_cpu']) / 2:+.2f}%), "
                f"{(r['rss_mb'] - plain['rss_mb']) / 2:+.1f} MB per track"
            )
    return lines


def verdict(results: list[dict[str, Any]]) -> str:
    at = [r for r in results if r["path"] == "sfu" and r["clients"] >= TARGET_CLIENTS]
    if not at:
        return f"target: not measured (needs --sfu-clients with N >= {TARGET_CLIENTS})"
    r = at[0]
    met = (
        r["cpu"] <= TARGET_CPU
        and r["fps_min"] >= TARGET_FPS
        and r["frame_loss"] <= TARGET_LOSS
        and r["video_packet_loss"] <= TARGET_LOSS
    )
    return (
        f"target ({TARGET_CLIENTS} subscribers a core at <= {100 * TARGET_CPU:.0f}% CPU, >= "
        f"{TARGET_FPS:.0f} fps, <= {100 * TARGET_LOSS}% loss): {'met' if met else 'NOT met'} "
        f"at N={r['clients']}: CPU {100 * r['cpu']:.0f}%, min fps {r['fps_min']:.1f}, "
        f"frame loss {100 * r['frame_loss']:.2f}%, packet loss {100 * r['video_packet_loss']:.2f}%"
    )


LEGEND = (
    "cpu %: the server process (one core) over the window; %/sub: (cpu - cpu with the "
    "publisher alone) / N;\n@30fps: the same scaled to 30 fps received (a starved server "
    "forwards less); subs/70%: subscribers\na core carries at 70% at that cost; MB: "
    "server RSS (MB/sub over the publisher-alone RSS);\nfps: mean complete video frames a "
    "second per subscriber (min: the worst subscriber); f.loss: publisher frames never "
    "received\ncomplete; p./a.loss: video/audio packets missing on the last hop (RTX repairs "
    "count as received);\np50/p99: glass-to-glass, publisher's send to the frame's last "
    "packet; lag: how late the server's loop\nwakes from a 10 ms sleep (p50: > 1 ms means the "
    "server's core was not its own); udp drop: datagrams the kernel dropped for a full\n"
    "receive buffer in the window (whole machine); peers%: publisher+subscribers' CPU; "
    "load: loadavg"
)
