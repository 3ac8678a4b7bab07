"""
The pandas baseline, as a data person would write it: read the CSV, parse the timestamps,
sort by user and time, take each event's gap to the user's previous one with a groupby, and
count sessions at 30 minutes (a gap >= the threshold starts one). Run as a child process by
bench/run.mjs (with $PYTHON, default python3), like the Node baselines:

  python3 bench/pandas-baseline.py load <file.csv>
    one end-to-end run, file opened -> session count.
  python3 bench/pandas-baseline.py thresholds <file.csv> <minutes,minutes,...>
    builds each event's gap in microseconds (user, time order; -1 for a user's first event)
    in a NumPy array once, then times one vectorized count per threshold.

Rows with an empty user id or a timestamp pandas cannot read are skipped, as the app does.
Prints one JSON object on stdout: the fields of bench/stats.mjs's runBaseline modes.
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd

THIRTY_MINUTES = pd.Timedelta(minutes=30)


def peak_rss_bytes() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def read_events(path: str) -> tuple[pd.DataFrame, int]:
    """The events sorted by user and time, and how many data rows the file has."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = len(frame)
    ts = pd.to_datetime(frame["timestamp"], utc=True, errors="coerce", format="ISO8601")
    valid = (frame["user_id"].str.strip() != "") & ts.notna()
    events = frame.loc[valid, ["user_id"]].assign(ts=ts[valid])
    return events.sort_values(["user_id", "ts"], kind="stable"), rows


def load(path: str) -> dict:
    started = time.perf_counter()
    events, rows = read_events(path)
    parse_ms = (time.perf_counter() - started) * 1000
    gap = events.groupby("user_id", sort=False)["ts"].diff()
    sessions = int((gap.isna() | (gap >= THIRTY_MINUTES)).sum())
    ms = (time.perf_counter() - started) * 1000
    return {
        "ms": ms, "parseMs": parse_ms, "rows": rows, "events": len(events),
        "users": int(events["user_id"].nunique()), "sessions": sessions, "peakRssBytes": peak_rss_bytes(),
    }


def thresholds(path: str, minutes: list[float]) -> dict:
    started = time.perf_counter()
    events, _ = read_events(path)
    us = events["ts"].dt.tz_convert(None).to_numpy(dtype="datetime64[us]").astype(np.int64)
    users = events["user_id"].to_numpy()
    first = np.empty(len(us), dtype=bool)
    first[:1] = True
    first[1:] = users[1:] != users[:-1]
    gaps = np.empty(len(us), dtype=np.int64)
    gaps[:1] = -1
    gaps[1:] = np.diff(us)
    gaps[first] = -1
    prepare_ms = (time.perf_counter() - started) * 1000
    changes = []
    for m in minutes:
        threshold = round(m * 60_000_000)
        t0 = time.perf_counter()
        sessions = int(np.count_nonzero((gaps < 0) | (gaps >= threshold)))
        changes.append({"minutes": m, "ms": (time.perf_counter() - t0) * 1000, "sessions": sessions})
    return {"prepareMs": prepare_ms, "changes": changes, "peakRssBytes": peak_rss_bytes()}


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("load", "thresholds"):
        sys.stderr.write("usage: python3 bench/pandas-baseline.py load|thresholds <file.csv> [minutes,...]\n")
        sys.exit(2)
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "load":
        result = load(path)
    else:
        result = thresholds(path, [float(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "30").split(",")])
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
