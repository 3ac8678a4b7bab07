#!/usr/bin/env python3
"""Writes a plain CSV clickstream and its Parquet twins, deterministically (seeded).

    python scripts/make-parquet-twins.py OUT_DIR

Needs pyarrow and polars (see README "Two commands" / .ci/run). Files written:

- clicks.csv: user_id, timestamp (ISO 8601 UTC with microseconds), url; a row without a
  user (skipped), empty urls, events 1 µs apart and gaps of exactly the threshold.
- clicks.<codec>.parquet for every codec pyarrow writes (none, snappy, gzip, zstd, lz4 which
  pyarrow writes as LZ4_RAW, brotli): user_id dictionary-encoded, timestamp as
  TIMESTAMP(MICROS, UTC), small row groups and pages so a read crosses many of both.
- clicks.polars.parquet: the same table written by Polars with its defaults (ZSTD).
- clicks.ts-<unit>-<utc|local>.parquet, unit in ms, us, ns: the timestamp typed in that unit,
  adjusted to UTC or a wall-clock time; its CSV twin is clicks.ts-<unit>.csv (ns: clicks.csv).
- clicks.epoch-<s|ms|us>.parquet: the timestamp as an INT64 epoch in that unit; its CSV twin
  is clicks.ts-<unit>.csv (ISO text of the same instants, so the unit must be detected).
- types.parquet and its CSV twin types.csv: DATE, BOOLEAN, DECIMAL, INT32, DOUBLE, a list,
  dictionary-encoded strings and nulls, with the text each value must become.
"""

import csv
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
START_US = 1714557600 * 1_000_000  # 2024-05-01T10:00:00Z


def clickstream(seed=14, users=60):
    rng = random.Random(seed)
    rows = []
    for u in range(users):
        user = f"u{u:03d}"
        t = START_US + rng.randrange(0, 86_400_000_000)
        for _ in range(rng.randrange(1, 5)):  # sessions
            for _ in range(rng.randrange(1, 9)):  # events
                rows.append((user, t, f"/p/{rng.randrange(12)}"))
                t += rng.randrange(1, 600_000_000)  # within a session: up to 10 min, µs precise
            t += rng.choice([1_800_000_000, 1_799_999_999, rng.randrange(1_800_000_000, 200_000_000_000)])
    rng.shuffle(rows)
    # Events 1 µs apart and exactly at the threshold: the µs must survive every reader.
    rows += [("edge", START_US, "/a"), ("edge", START_US + 1, "/b"), ("edge", START_US + 1_800_000_001, "/c")]
    return rows


def iso(us, unit="us"):
    """ISO 8601 UTC text of an instant cut to the unit, as the page writes it."""
    cut = {"s": 1_000_000, "ms": 1000, "us": 1}[unit]
    us = us // cut * cut
    t = EPOCH + dt.timedelta(microseconds=us)
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    frac = us % 1_000_000
    return f"{text}.{frac:06d}Z" if frac % 1000 else f"{text}.{frac // 1000:03d}Z"


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


rows = clickstream()
users = [u for u, _, _ in rows]
times = [t for _, t, _ in rows]
urls = [None if i % 17 == 5 else url for i, (_, _, url) in enumerate(rows)]
users[7] = None  # skipped: no user

for unit in ("s", "ms", "us"):
    name = "clicks.csv" if unit == "us" else f"clicks.ts-{unit}.csv"
    write_csv(OUT / name, ["user_id", "timestamp", "url"], [(u or "", iso(t, unit), url or "") for u, t, url in zip(users, times, urls)])


def table(ts_type, values):
    return pa.table(
        {
            "user_id": pa.array(users, pa.string()),
            "timestamp": pa.array(values, ts_type),
            "url": pa.array(urls, pa.string()),
        }
    )


micros = table(pa.timestamp("us", tz="UTC"), times)
for codec in ("none", "snappy", "gzip", "zstd", "lz4", "brotli"):
    pq.write_table(micros, OUT / f"clicks.{codec}.parquet", compression=codec, row_group_size=250, data_page_size=2048, use_dictionary=["user_id", "url"])
pl.from_arrow(micros).write_parquet(OUT / "clicks.polars.parquet")

for unit, factor in (("ms", 1000), ("us", 1), ("ns", None)):
    values = [t * 1000 for t in times] if factor is None else [t // factor for t in times]
    for zone, tz in (("utc", "UTC"), ("local", None)):
        pq.write_table(table(pa.timestamp(unit, tz=tz), values), OUT / f"clicks.ts-{unit}-{zone}.parquet")
for unit, factor in (("s", 1_000_000), ("ms", 1000), ("us", 1)):
    pq.write_table(table(pa.int64(), [t // factor for t in times]), OUT / f"clicks.epoch-{unit}.parquet")

# Typed columns and the text each value must become (NULL is an empty CSV cell).
n = 40
day = [None if i % 9 == 4 else dt.date(2024, 1, 1) + dt.timedelta(days=i * 37) for i in range(n)]
flag = [None if i % 7 == 3 else i % 2 == 0 for i in range(n)]
price = [None if i % 8 == 6 else Decimal(i * 1234 - 9000).scaleb(-2) for i in range(n)]
count = [None if i % 11 == 10 else (i * 7919) % 1000 - 500 for i in range(n)]
ratio = [None if i % 10 == 9 else [0.5, 0.1, 1e-7, 123456.789, -2.0][i % 5] for i in range(n)]
tags = [None if i % 6 == 1 else [f"t{j}" for j in range(i % 3)] for i in range(n)]
plan = [["free", "pro", None, "team"][i % 4] for i in range(n)]
types = pa.table(
    {
        "day": pa.array(day, pa.date32()),
        "flag": pa.array(flag, pa.bool_()),
        "price": pa.array(price, pa.decimal128(9, 2)),
        "count": pa.array(count, pa.int32()),
        "ratio": pa.array(ratio, pa.float64()),
        "tags": pa.array(tags, pa.list_(pa.string())),
        "plan": pa.array(plan, pa.string()),
    }
)
pq.write_table(types, OUT / "types.parquet", use_dictionary=["plan"])


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if isinstance(v, float):
        # JavaScript's spelling: no ".0" on whole numbers, no zero-padded exponent.
        return str(int(v)) if v.is_integer() else repr(v).replace("e-07", "e-7")
    if isinstance(v, list):
        return "[" + ",".join(f'"{x}"' for x in v) + "]"
    return str(v)


write_csv(OUT / "types.csv", types.column_names, [[text(c[i]) for c in (day, flag, price, count, ratio, tags, plan)] for i in range(n)])
print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")
