import type { Engine } from '../engine/engine';
import { detectMapping, type ChosenColumns } from '../domain/detect-columns';
import type { UncertainRole } from '../domain/role-candidates';
import type { ColumnMapping, ColumnProfile } from '../domain/types';
import { columnProfileSql, profiledColumns, sampleValuesSql } from '../sql/profile-sql';
import { listColumns, LoadError } from './load-errors';
import type { RawTable } from './raw-table';
import type { MappingQuestion } from './types';

/** The profiles of a raw table's columns (those profiledColumns picks), which mapping detection reads. */
export async function profileColumns(engine: Engine, raw: RawTable): Promise<ColumnProfile[]> {
  const columns = profiledColumns(raw.columns);
  type Row = Omit<ColumnProfile, 'column' | 'samples'> & { idx: number; col: string; s1: string | null; s2: string | null; s3: string | null };
  const rows = await engine.query<Row>(columnProfileSql(raw.table, columns));
  return rows.map(({ idx, col: _col, s1, s2, s3, ...rest }) => ({
    ...rest,
    column: columns[idx] ?? '',
    samples: [s1, s2, s3].filter((s): s is string => s !== null),
  }));
}

export interface DetectedMapping {
  /** The roles the page is sure of; an uncertain role's field is ''. */
  mapping: ColumnMapping;
  notes: string[];
  profiles: ColumnProfile[];
  /** Roles neither names nor values decide: the page asks instead of loading (mappingQuestion). */
  uncertain: UncertainRole[];
}

/**
 * The detected mapping, or a LoadError saying which columns were found and what is missing.
 * `chosen`: columns a person picked for roles (answering the question), with the profiles
 * already computed for it.
 */
export async function detectRawMapping(engine: Engine, raw: RawTable, answer?: { chosen: ChosenColumns; profiles: ColumnProfile[] }): Promise<DetectedMapping> {
  const shown = listColumns(raw.columns);
  if (raw.columns.length < 2) {
    throw new LoadError(
      raw.fileName,
      `found a single column (${shown}); a clickstream needs at least a user id and a timestamp column. If the file has more columns, its delimiter or quoting could not be recognised.`,
    );
  }
  const profiles = answer?.profiles ?? (await profileColumns(engine, raw));
  if (raw.suggestedMapping && !answer) return { mapping: raw.suggestedMapping, notes: [], profiles, uncertain: [] };
  const guess = detectMapping(profiles, answer?.chosen);
  if (!guess) {
    throw new LoadError(
      raw.fileName,
      `no column holds readable timestamps (columns: ${shown}). Expected ISO 8601 text such as 2024-05-01T10:00:00Z, day/month or month/day dates, or epoch seconds/milliseconds.`,
    );
  }
  const notes: string[] = [];
  const { vendor, mapping, uncertain } = guess;
  if (vendor) {
    notes.push(
      `Recognised ${/^[AEIOU]/.test(vendor.vendor) ? 'an' : 'a'} ${vendor.vendor} export: user "${mapping.user}", timestamp "${mapping.timestamp}"${mapping.url ? `, page "${mapping.url}"` : ''} (${vendor.about}).`,
    );
  }
  if (!guess.userByName && answer?.chosen.user === undefined && mapping.user !== '') {
    notes.push(
      `No column is named like a user id; "${guess.mapping.user}" was picked from its values (no other column fits as well). Choose the right one under Columns if it is not.`,
    );
  }
  if (guess.timestamp.ambiguous && mapping.timestamp !== '') {
    notes.push(
      `Dates in "${guess.mapping.timestamp}" could be month/day or day/month (no day above 12 in the first rows); they are read as ${guess.mapping.format === 'mdy' ? 'month/day' : 'day/month'}. Change the format below if that is wrong.`,
    );
  }
  return { mapping, notes, profiles, uncertain };
}

/** Candidates shown per uncertain role (the selects offer every column). */
const SHOWN_CANDIDATES = 8;
const SAMPLES_PER_CANDIDATE = 4;

/** What the page asks when `detected` leaves roles open: the candidates with a few of their values. */
export async function mappingQuestion(engine: Engine, raw: RawTable, detected: DetectedMapping): Promise<MappingQuestion> {
  const roles = detected.uncertain.map((u) => ({ ...u, candidates: u.candidates.slice(0, SHOWN_CANDIDATES) }));
  const columns = [...new Set(roles.flatMap((r) => r.candidates.map((c) => c.column)))];
  const samples = new Map<string, string[]>();
  if (columns.length > 0) {
    for (const { idx, value } of await engine.query<{ idx: number; value: string }>(sampleValuesSql(raw.table, columns, SAMPLES_PER_CANDIDATE))) {
      const column = columns[idx] ?? '';
      samples.set(column, [...(samples.get(column) ?? []), value]);
    }
  }
  return {
    fileName: raw.fileName,
    columns: raw.columns,
    mapping: detected.mapping,
    roles: roles.map((r) => ({ ...r, candidates: r.candidates.map((c) => ({ ...c, samples: samples.get(c.column) ?? [] })) })),
  };
}
