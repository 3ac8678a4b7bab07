#!/usr/bin/env python3
"""Reads Parquet files with pyarrow and with Polars, independently of the app's reader.

    python scripts/read-parquet-back.py FILE...

Prints JSON: for each file, for each reader, the schema (column name -> the reader's own
type name) and the rows, with timestamps as ISO 8601 text carrying their zone and every
microsecond, so a test can compare them with the app's CSV export.
"""

import datetime as dt
import json
import sys

import polars as pl
import pyarrow.parquet as pq


def plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return "naive " + value.isoformat(timespec="microseconds")
        return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    return value


def rows(records):
    return [{k: plain(v) for k, v in r.items()} for r in records]


out = {}
for path in sys.argv[1:]:
    table = pq.read_table(path)
    frame = pl.read_parquet(path)
    out[path] = {
        "pyarrow": {"schema": {f.name: str(f.type) for f in table.schema}, "rows": rows(table.to_pylist())},
        "polars": {"schema": {name: str(dtype) for name, dtype in frame.schema.items()}, "rows": rows(frame.to_dicts())},
    }
json.dump(out, sys.stdout)
