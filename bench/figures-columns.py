"""
The stats worker's columns from a bench CSV, for bench/figures-update.mjs:
  .venv/bin/python bench/figures-columns.py bench/data/clicks-10000000-seed7-ooo0.02.csv /tmp/columns-10M
Events ordered by user, then time, then file row; times in µs, gaps (-1 at a user's first
event), url codes (-1 = none) into the sorted distinct urls. Needs polars (and pyarrow).
"""
import sys, json, os, polars as pl
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
df = (pl.scan_csv(src).select(['user_id', 'timestamp', 'url'])
      .with_row_index('row')
      .with_columns(pl.col('timestamp').str.to_datetime(time_unit='us', time_zone='UTC').dt.epoch('us').alias('t'))
      .sort(['user_id', 't', 'row'])
      .with_columns((pl.col('t') - pl.col('t').shift(1)).alias('gap'), (pl.col('user_id') != pl.col('user_id').shift(1)).fill_null(True).alias('first'))
      .with_columns(pl.when(pl.col('first')).then(-1).otherwise(pl.col('gap')).alias('gap'))
      .with_columns((pl.col('url').rank('dense') - 1).cast(pl.Int32).fill_null(-1).alias('code'))
      .collect())
def write(series, path, width):
    arr = series.rechunk().to_arrow()
    assert arr.null_count == 0 and arr.offset == 0
    open(path, 'wb').write(memoryview(arr.buffers()[1])[: len(arr) * width])
write(df['t'].cast(pl.Float64), f'{out}/times.f64', 8)
write(df['gap'].cast(pl.Float64), f'{out}/gaps.f64', 8)
write(df['code'], f'{out}/codes.i32', 4)
cats = df['url'].drop_nulls().unique().sort().to_list()
json.dump({'events': df.height, 'users': int(df['first'].sum()), 'labels': cats}, open(f'{out}/meta.json', 'w'))
print(df.height, int(df['first'].sum()))
