"""bench/report.py: bench/run's figures as one table (stderr) and JSON (stdout).

Arguments: the work folder (figures.json, calls-<n>.json, window.txt), the
call counts, the call seconds and the number of runs. Standard library only.
"""
import json
import os
import statistics
import sys

work, calls, seconds, runs = sys.argv[1], [int(n) for n in sys.argv[2].split()], int(sys.argv[3]), int(sys.argv[4])

with open(os.path.join(work, "figures.json")) as f:
    figures = json.load(f)
loads = {}
for n in calls:
    with open(os.path.join(work, "calls-%d.json" % n)) as f:
        loads[n] = json.load(f)
with open(os.path.join(work, "window.txt")) as f:
    window = [float(line) for line in f if line.strip()]

rows = []


def row(figure, ours, baresip, unit, note=""):
    ratio = ours / baresip if ours is not None and baresip not in (None, 0) else None
    rows.append({"figure": figure, "ours": ours, "baresip": baresip, "unit": unit,
                 "ratio": ratio, "note": note})


def fig(who, key, stat="median"):
    value = figures.get(who, {}).get(key)
    return value[stat] if value else None


def cpu_per_call_second(n, mode):
    """CPU seconds per call-second of one phone: both ends, averaged."""
    ends = loads[n]["modes"][mode]
    return statistics.mean(e["busy"]["cpu_seconds"] for e in ends) / (n * loads[n]["seconds"])


def rss_in_calls(n, mode):
    return statistics.mean(e["busy"]["rss_mb"] for e in loads[n]["modes"][mode])


OURS, BARESIP = "agentphone default", "baresip"
row("1 start to registered (wire 200)", fig("ours", "start_registered_wire_ms"),
    fig("baresip", "start_registered_wire_ms"), "ms")
row("1 start to RegistrationChanged seen", fig("ours", "start_registered_client_ms"), None, "ms",
    "baresip: its event can precede its control port")
row("2 Dial to MediaActive (Kamailio)", fig("ours", "call_setup_ms"), fig("baresip", "call_setup_ms"),
    "ms", "baresip: dial to CALL_RTPESTAB")
row("2 INVITE to 200 at the callee (capture)", fig("ours", "invite_to_200_ms"),
    fig("baresip", "invite_to_200_ms"), "ms")
row("2 first call of a new process, Dial to MediaActive", fig("ours", "first_call_setup_ms"), None,
    "ms", "GStreamer registry cached; baresip has no lazy start")
for codec in ("opus", "pcma"):
    row("3 mouth-to-ear %s" % codec, fig("ours", "latency_%s_ms" % codec), None, "ms",
        "floor %.1f ms; baresip n/a (no live file I/O in Debian's 1.0)"
        % fig("ours", "latency_%s_floor_ms" % codec))
for n in calls:
    row("4 CPU s per call-second, %d calls" % n, cpu_per_call_second(n, OURS),
        cpu_per_call_second(n, BARESIP), "s/s", "Opus+SRTP+AEC, %d s" % loads[n]["seconds"])
row("5 RSS idle registered", fig("ours", "rss_idle_registered_mb"),
    fig("baresip", "rss_idle_registered_mb"), "MB")
row("5 RSS with one call", fig("ours", "rss_one_call_mb"), fig("baresip", "rss_one_call_mb"), "MB")
if len(calls) > 1:
    lo, hi = calls[0], calls[-1]
    row("5 RSS growth per extra call (%d to %d)" % (lo, hi),
        (rss_in_calls(hi, OURS) - rss_in_calls(lo, OURS)) / (hi - lo),
        (rss_in_calls(hi, BARESIP) - rss_in_calls(lo, BARESIP)) / (hi - lo), "MB")
row("5 RSS of the window, idle (Xvfb)", statistics.median(window) if window else None, None, "MB",
    "baresip has no window")
row("6 property Get round trip, median", fig("ours", "control_read_ms"),
    fig("baresip", "control_read_ms"), "ms", "baresip: ctrl_tcp 'reginfo' (no DBus)")
row("6 property Get round trip, p99", fig("ours", "control_read_ms", "p99"),
    fig("baresip", "control_read_ms", "p99"), "ms")
row("6 GetSettings round trip, median", fig("ours", "control_settings_ms"),
    fig("baresip", "control_settings_ms"), "ms", "baresip: ctrl_tcp 'about'")
row("6 GetSettings round trip, p99", fig("ours", "control_settings_ms", "p99"),
    fig("baresip", "control_settings_ms", "p99"), "ms")


def show(value, unit):
    if value is None:
        return "n/a"
    return "%.4f" % value if unit == "s/s" else "%.2f" % value


print("%-42s %10s %10s %7s  %s" % ("figure", "ours", "baresip", "ratio", "unit, note"), file=sys.stderr)
for r in rows:
    print("%-42s %10s %10s %7s  %s%s" % (r["figure"], show(r["ours"], r["unit"]), show(r["baresip"], r["unit"]),
                                         "%.2fx" % r["ratio"] if r["ratio"] else "-", r["unit"],
                                         "; " + r["note"] if r["note"] else ""), file=sys.stderr)
json.dump({"runs": runs, "call_seconds": seconds, "load": open("/proc/loadavg").read().split()[:3],
           "rows": rows, "raw": {"figures": figures, "calls": loads, "window_rss_mb": window}},
          sys.stdout, indent=2)
print()
