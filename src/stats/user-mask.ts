import type { EventColumns, UrlColumn } from '../domain/types';
import { cellContains, normalizeUserFilters, type ExclusionSummary, type UserFilters } from '../domain/user-filters';

/*
 * Bot and outlier exclusion on the stats worker's columns. Each user's events are one run
 * in the columns (a run starts where gap < 0), so a user's event count and whether any of
 * their cells matches are one pass; the kept events are then copied into columns of their
 * own, on which every figure, chart and session numbering runs unchanged (a user is kept or
 * left out whole, so the kept users' gaps are untouched).
 */

/** A text column per event (events-table order): dictionary codes, -1 for an empty cell. */
export interface TextColumn {
  codes: Int32Array;
  labels: string[];
}

/** 1 for each event whose user the filters keep. */
export function keptEventsMask(columns: EventColumns, filters: UserFilters, match: TextColumn | null): { keep: Uint8Array; summary: ExclusionSummary } {
  const f = normalizeUserFilters(filters);
  const n = columns.gaps.length;
  const keep = new Uint8Array(n);
  if (f.columnMatch !== null && !match) throw new Error(`the values of "${f.columnMatch.column}" are not loaded`);
  const needle = f.columnMatch?.contains ?? '';
  const labelMatches = f.columnMatch && match ? match.labels.map((label) => cellContains(label, needle)) : null;
  const maxEvents = f.maxEventsPerUser ?? Infinity;
  const summary: ExclusionSummary = { excludedUsers: 0, excludedEvents: 0, keptUsers: 0, keptEvents: 0 };
  let first = 0;
  while (first < n) {
    let end = first + 1;
    while (end < n && (columns.gaps[end] as number) >= 0) end++;
    const count = end - first;
    let out = count > maxEvents;
    if (!out && labelMatches && match) {
      for (let i = first; i < end && !out; i++) {
        const code = match.codes[i] as number;
        out = code >= 0 && labelMatches[code] === true;
      }
    }
    if (out) {
      summary.excludedUsers++;
      summary.excludedEvents += count;
    } else {
      keep.fill(1, first, end);
      summary.keptUsers++;
      summary.keptEvents += count;
    }
    first = end;
  }
  return { keep, summary };
}

function pick<T extends Float64Array | Int32Array>(values: T, keep: Uint8Array, kept: number, make: (n: number) => T): T {
  const out = make(kept);
  let at = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i] === 1) out[at++] = values[i] as number;
  return out;
}

/** The kept events' columns (and url codes, and any per-event codes), in the same order. */
export function keptColumns(
  columns: EventColumns,
  url: UrlColumn | null,
  codes: ReadonlyMap<string, Int32Array>,
  keep: Uint8Array,
  summary: ExclusionSummary,
): { columns: EventColumns; url: UrlColumn | null; codes: Map<string, Int32Array> } {
  const n = summary.keptEvents;
  const f64 = (len: number) => new Float64Array(len);
  const i32 = (len: number) => new Int32Array(len);
  return {
    columns: {
      gaps: pick(columns.gaps, keep, n, f64),
      times: pick(columns.times, keep, n, f64),
      rows: pick(columns.rows, keep, n, f64),
      users: summary.keptUsers,
    },
    url: url ? { codes: pick(url.codes, keep, n, i32), labels: url.labels } : null,
    codes: new Map([...codes].map(([column, values]) => [column, pick(values, keep, n, i32)])),
  };
}
