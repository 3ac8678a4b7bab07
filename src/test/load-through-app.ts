import { expect } from 'vitest';
import type { Engine } from '../engine/engine';
import type { ColumnMapping } from '../domain/types';
import type { UncertainRole } from '../domain/role-candidates';
import type { ChosenColumns } from '../domain/detect-columns';
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
  /** `asked`: the roles the page asked about, answered with `answer`. */
  | { ok: true; raw: RawTable; mapping: ColumnMapping; events: EventsTable; notes: string[]; asked?: UncertainRole[] }
  /**
   * `raw` is set when the raw table was read and a later step refused the file. `asked`: the
   * page asks which columns to use instead of loading (the error says which roles, as the
   * question does; `mapping` holds the roles it is sure of).
   */
  | { ok: false; error: LoadError; raw: RawTable | null; asked?: { uncertain: UncertainRole[]; mapping: ColumnMapping } };

/** The question as the loader tests read it: a LoadError naming the file and the uncertain roles. */
function questionAsError(fileName: string, uncertain: UncertainRole[]): LoadError {
  const roles = uncertain.map(
    (u) =>
      `${u.role} column (${
        u.candidates
          .filter((c) => c.verdict !== 'never')
          .map((c) => `"${c.column}"`)
          .join(', ') || 'none fits'
      })`,
  );
  return new LoadError(fileName, `the page asks which is the ${roles.join(' and which the ')}: ${uncertain.map((u) => u.reason).join(' ')}`);
}

/** `answer`: the columns a person would choose when the page asks (the question is then answered). */
export async function loadThroughApp(engine: Engine, name: string, data: Uint8Array, id: number, answer?: ChosenColumns): Promise<LoadOutcome> {
  let raw: RawTable | null = null;
  try {
    raw = await readRawTable(engine, { name, size: data.length, data }, id, inProcessIngest);
    let detected = await detectRawMapping(engine, raw);
    const asked = detected.uncertain.length > 0 ? detected.uncertain : undefined;
    if (detected.uncertain.length > 0) {
      if (!answer)
        return {
          ok: false,
          raw,
          error: questionAsError(raw.fileName, detected.uncertain),
          asked: { uncertain: detected.uncertain, mapping: detected.mapping },
        };
      detected = await detectRawMapping(engine, raw, { chosen: answer, profiles: detected.profiles });
      if (detected.uncertain.length > 0) throw new Error(`${name}: still uncertain after the answer ${JSON.stringify(answer)}`);
    }
    const events = await buildEvents(engine, raw, detected.mapping, `events_${id}`);
    return { ok: true, raw, mapping: detected.mapping, events, notes: [...raw.notes, ...detected.notes, ...events.notes], ...(asked ? { asked } : {}) };
  } catch (error) {
    if (error instanceof LoadError) return { ok: false, error, raw };
    throw error;
  }
}

/** The acceptable ends: sound accounting, a question with candidates, or a LoadError that names the file. */
export function expectSoundOutcome(outcome: LoadOutcome, name: string): void {
  if (!outcome.ok && outcome.asked) {
    for (const role of outcome.asked.uncertain) {
      expect(outcome.asked.mapping[role.role]).toBe('');
      expect(role.reason.length).toBeGreaterThanOrEqual(20);
      expect(role.candidates.length).toBeGreaterThanOrEqual(1);
    }
  }
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
  if (!outcome.ok && outcome.asked) return `asked: ${outcome.error.problem.slice(0, 100)}`;
  if (!outcome.ok) return `LoadError: ${outcome.error.problem.slice(0, 100)}`;
  const { events, skipped, rowsRead } = outcome.events.figures;
  const m = outcome.mapping;
  return `loaded ${events}/${skipped}/${rowsRead} user="${m.user}" ts="${m.timestamp}"${m.time ? ` time="${m.time}"` : ''} (${m.format})`;
}
