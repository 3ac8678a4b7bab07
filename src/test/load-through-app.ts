import { expect } from 'vitest';
import type { Engine } from '../engine/engine';
import type { ColumnMapping } from '../domain/types';
import { checkRowsAddUp } from '../domain/rows-add-up';
import { buildEvents, type EventsTable } from '../state/build-events';
import { detectRawMapping } from '../state/detect-mapping';
import type { RawTable } from '../state/raw-table';
import { readRawTable } from '../state/read-raw-table';
import { LoadError } from '../state/load-errors';
import { inProcessIngest } from '../ingest/row-ingest';
import { dropTableSql } from '../sql/read-sql';

/*
 * Runs one file through the app's load path as the page does: read the raw table, detect
 * the mapping, build the events. A LoadError is an outcome (the page shows it); any other
 * exception is a loader bug and is rethrown so the calling test fails.
 */

export type LoadOutcome =
  | { ok: true; raw: RawTable; mapping: ColumnMapping; events: EventsTable; notes: string[] }
  /** `raw` is set when the raw table was read and a later step refused the file. */
  | { ok: false; error: LoadError; raw: RawTable | null };

export async function loadThroughApp(engine: Engine, name: string, data: Uint8Array, id: number): Promise<LoadOutcome> {
  let raw: RawTable | null = null;
  try {
    raw = await readRawTable(engine, { name, size: data.length, data }, id, inProcessIngest);
    const detected = await detectRawMapping(engine, raw);
    const events = await buildEvents(engine, raw, detected.mapping, `events_${id}`);
    return { ok: true, raw, mapping: detected.mapping, events, notes: [...raw.notes, ...detected.notes, ...events.notes] };
  } catch (error) {
    if (error instanceof LoadError) return { ok: false, error, raw };
    throw error;
  }
}

/** The two acceptable ends: sound accounting, or a LoadError that names the file. */
export function expectSoundOutcome(outcome: LoadOutcome, name: string): void {
  if (outcome.ok) {
    const { events, skipped, rowsRead } = outcome.events.figures;
    expect(rowsRead).toBeGreaterThanOrEqual(1);
    expect(events + skipped).toBe(rowsRead);
    // Skipped is counted by reason, not taken as rows read less events.
    expect(checkRowsAddUp(outcome.events.figures, outcome.events.skippedByReason)).toBeNull();
    expect(events).toBeGreaterThanOrEqual(1);
    expect(skipped).toBeGreaterThanOrEqual(0);
  } else {
    expect(outcome.error.fileName).toBe(name);
    expect(outcome.error.message.startsWith(`${name}: `)).toBe(true);
    // More than a bare "failed": says what was found or expected.
    expect(outcome.error.problem.trim().length).toBeGreaterThanOrEqual(20);
  }
}

/** Frees what loadThroughApp(…, id) left in the engine. */
export async function dropLoaded(engine: Engine, id: number): Promise<void> {
  await engine.exec(`${dropTableSql(`raw_${id}`)}; ${dropTableSql(`events_${id}`)}`);
}

/**
 * What keeps an error message from being one "a person can act on" (ui-contract.md):
 *   internal-name  names the engine's copy (upload_7.csv, raw_7) instead of the person's file
 *   engine-sql     quotes the SQL the app ran
 *   engine-jargon  carries DuckDB's error class ("Invalid Input Error: …")
 *   too-long       longer than a person reads (a whole header line pasted in, say)
 */
export type MessageDefect = 'internal-name' | 'engine-sql' | 'engine-jargon' | 'too-long';

export const MAX_MESSAGE_CHARS = 600;

export function messageDefects(error: LoadError): MessageDefect[] {
  const text = error.message;
  const defects: MessageDefect[] = [];
  if (/\b(upload|raw|rejects|reject_scans|events)_\d+\b/.test(text)) defects.push('internal-name');
  if (/\bLINE \d+:|\bSELECT\b|read_csv\(/.test(text)) defects.push('engine-sql');
  if (/\b(Invalid Input|Out of Memory|Conversion|Binder|Parser|Catalog|Internal|IO) Error:/.test(text)) defects.push('engine-jargon');
  if (text.length > MAX_MESSAGE_CHARS) defects.push('too-long');
  return defects;
}

/** One line of a summary table. */
export function describeOutcome(outcome: LoadOutcome): string {
  if (!outcome.ok) return `LoadError: ${outcome.error.problem.slice(0, 100)}`;
  const { events, skipped, rowsRead } = outcome.events.figures;
  const m = outcome.mapping;
  return `loaded ${events}/${skipped}/${rowsRead} user="${m.user}" ts="${m.timestamp}"${m.time ? ` time="${m.time}"` : ''} (${m.format})`;
}
