import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DIALECTS,
  type Dialect,
  type DialectQuerySpec,
  NO_SQL_RULES,
  pysparkCode,
  type SqlRules,
  sessionizationQuery,
  sessionsQuery,
} from '../sql/dialect-sql';
import { DIALECT_FIXTURES } from './dialect-fixtures';

/**
 * The representative cases whose generated SQL is kept as golden files in src/sql/golden/,
 * one file per (engine, case), small enough to read in review: `<engine>-<case>.sql`, and
 * `pyspark-<case>.py` (one PySpark file holds both outputs: the plain `sessions` case has none;
 * the other sessions cases keep theirs for the input or rules they show).
 */
export const GOLDEN_DIR = fileURLToPath(new URL('../sql/golden/', import.meta.url));

type Spec = Omit<DialectQuerySpec, 'dialect'>;

function fixture(name: string): { mapping: Spec['mapping']; columns: string[] } {
  const found = DIALECT_FIXTURES.find((f) => f.path.endsWith(`/${name}`));
  if (!found) throw new Error(`no dialect fixture ${name}`);
  const header = readFileSync(fileURLToPath(new URL(`../../${found.path}`, import.meta.url)), 'utf8').split(/\r?\n/, 1)[0] ?? '';
  return { mapping: found.mapping, columns: header.split(',') };
}

const ISO = fixture('sessionize-edge.csv');
const EPOCH = fixture('sessionize-edge-epoch.csv');
const DMY = fixture('sessionize-edge-dmy-time.csv');
const CLF = fixture('sessionize-edge-clf.csv');
const COLLIDING = fixture('sessionize-edge-colliding-names.csv');

const EVERY_RULE: SqlRules = { maxDurationMinutes: 45, maxEvents: 3, midnightTimeZone: 'America/New_York', splitColumn: 'note' };

export interface GoldenCase {
  /** The file-name part: `gap` gives `duckdb-gap.sql`. */
  name: string;
  output: 'events' | 'sessions';
  spec: Spec;
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  // The plain gap rule: a gap of 30 minutes or more starts a session.
  { name: 'gap', output: 'events', spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'ge' } },
  { name: 'boundary-gt', output: 'events', spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'gt' } },
  { name: 'epoch', output: 'events', spec: { table: 'clicks', mapping: EPOCH.mapping, thresholdMinutes: 30, boundary: 'ge' } },
  // A separate time column, a threshold under a minute and a schema-qualified table.
  { name: 'dmy', output: 'events', spec: { table: 'analytics.Clicks', mapping: DMY.mapping, thresholdMinutes: 0.5, boundary: 'ge' } },
  // A quoted table name and a threshold that is not a whole number of seconds.
  { name: 'clf', output: 'events', spec: { table: '"web logs"', mapping: CLF.mapping, thresholdMinutes: 29.999999, boundary: 'ge' } },
  {
    name: 'colliding-names',
    output: 'events',
    spec: { table: 'clicks', mapping: COLLIDING.mapping, thresholdMinutes: 30, boundary: 'ge', columns: COLLIDING.columns },
  },
  { name: 'sessions', output: 'sessions', spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'ge' } },
  // Typed input: the short query (a TIMESTAMP column; an epoch number in the unit detected).
  { name: 'typed', output: 'events', spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'ge', input: 'typed' } },
  { name: 'typed-epoch-sessions', output: 'sessions', spec: { table: 'clicks', mapping: EPOCH.mapping, thresholdMinutes: 30, boundary: 'ge', input: 'typed' } },
  // Midnight alone needs no walk: LAG of the local day.
  {
    name: 'typed-midnight',
    output: 'events',
    spec: {
      table: 'clicks',
      mapping: ISO.mapping,
      thresholdMinutes: 30,
      boundary: 'gt',
      input: 'typed',
      rules: { ...NO_SQL_RULES, midnightTimeZone: 'America/New_York' },
    },
  },
  // Every rule and the events limit per user, both inputs.
  {
    name: 'typed-rules',
    output: 'events',
    spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'ge', input: 'typed', rules: EVERY_RULE, excludeUsersOverEvents: 1000 },
  },
  {
    name: 'rules-sessions',
    output: 'sessions',
    spec: { table: 'clicks', mapping: ISO.mapping, thresholdMinutes: 30, boundary: 'ge', rules: EVERY_RULE, excludeUsersOverEvents: 1000 },
  },
];

export type GoldenEngine = Dialect | 'pyspark';

export interface GoldenText {
  engine: GoldenEngine;
  caseName: string;
  file: string;
  text: string;
}

/** Every golden file's name and the text the code generates for it now. */
export function goldenTexts(): GoldenText[] {
  const texts: GoldenText[] = [];
  for (const c of GOLDEN_CASES) {
    for (const dialect of DIALECTS) {
      const spec = { ...c.spec, dialect };
      const text = c.output === 'events' ? sessionizationQuery(spec) : sessionsQuery(spec);
      texts.push({ engine: dialect, caseName: c.name, file: `${dialect}-${c.name}.sql`, text: `${text}\n` });
    }
    if (c.output === 'events' || c.name !== 'sessions')
      texts.push({ engine: 'pyspark', caseName: c.name, file: `pyspark-${c.name}.py`, text: `${pysparkCode(c.spec)}\n` });
  }
  return texts;
}
