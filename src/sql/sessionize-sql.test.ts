import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Boundary, ColumnMapping, SessionStats, SkipReason, TimestampFormat } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { referenceSessionize, referenceSessionStats, type ReferenceResult, type ReferenceRow, type ReferenceSkip } from '../test/reference-sessionizer';
import { instantArb, timestampTextArb } from '../test/timestamp-text';
import { createEventsTableSql, datasetFiguresSql, skippedExamplesSql, type DatasetFiguresRow } from './events-sql';
import { quoteString } from './quote';
import { sessionizedEventsSql, sessionStatsSql } from './sessionize-sql';
import { minutesToUs } from '../domain/threshold';

// The events and sessionization SQL, run in DuckDB on a raw table, against the reference.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const RAW = 'raw_x';
const EVENTS = 'events_x';
const BOUNDARIES: readonly Boundary[] = ['ge', 'gt'];

/** A data row of the file: user id and timestamp cells (null: missing cell). */
type Cells = { user: string | null; ts: string | null };

const mappingFor = (format: TimestampFormat): ColumnMapping => ({ user: 'u', timestamp: 't', time: '', url: '', format });

/** Loads `cells` as the raw table, in order (rowid + 1 = row), and builds the events table. */
async function load(cells: readonly Cells[], format: TimestampFormat): Promise<void> {
  const literal = (v: string | null) => (v === null ? 'NULL' : quoteString(v));
  const values = cells.map((c) => `(${literal(c.user)}, ${literal(c.ts)})`).join(', ');
  await engine.exec(`CREATE OR REPLACE TABLE ${RAW} (u VARCHAR, t VARCHAR)${values ? `; INSERT INTO ${RAW} VALUES ${values}` : ''}`);
  await engine.exec(createEventsTableSql({ rawTable: RAW, columns: ['u', 't'], mapping: mappingFor(format) }, EVENTS));
}

const referenceRows = (cells: readonly Cells[]): ReferenceRow[] => cells.map((c, i) => ({ row: i + 1, ...c }));

interface SqlEvent {
  row: number;
  user: string;
  sessionNumber: number;
  sessionId: string;
}

async function sqlEvents(thresholdUs: number, boundary: Boundary): Promise<SqlEvent[]> {
  // session_id as the contract defines it: <user_id>-<session_number>.
  return engine.query<SqlEvent>(`SELECT row_number::DOUBLE AS "row", user_id AS "user",
    session_number::DOUBLE AS "sessionNumber", user_id || '-' || CAST(session_number AS VARCHAR) AS "sessionId"
  FROM (${sessionizedEventsSql({ eventsTable: EVENTS, thresholdUs, boundary })}) ORDER BY row_number`);
}

async function sqlStats(thresholdUs: number, boundary: Boundary): Promise<SessionStats> {
  const [stats] = await engine.query<SessionStats>(sessionStatsSql({ eventsTable: EVENTS, thresholdUs, boundary }));
  if (!stats) throw new Error('sessionStatsSql returned no row');
  return stats;
}

const referenceEvents = (result: ReferenceResult): SqlEvent[] =>
  result.events.map(({ row, user, sessionNumber, sessionId }) => ({ row, user, sessionNumber, sessionId }));

function expectStatsClose(actual: SessionStats, expected: SessionStats): void {
  for (const key of Object.keys(expected) as (keyof SessionStats)[]) {
    expect(actual[key], key).toBeCloseTo(expected[key], 9);
  }
}

/** Loads the rows, sessionizes them both ways, and expects SQL and reference to agree. */
async function expectAgreement(cells: readonly Cells[], format: TimestampFormat, thresholdUs: number): Promise<void> {
  await load(cells, format);
  const rows = referenceRows(cells);
  for (const boundary of BOUNDARIES) {
    const reference = referenceSessionize(rows, format, thresholdUs, boundary);
    expect(await sqlEvents(thresholdUs, boundary), boundary).toEqual(referenceEvents(reference));
    expectStatsClose(await sqlStats(thresholdUs, boundary), referenceSessionStats(reference.events));
  }
  const { skipped, events } = referenceSessionize(rows, format, thresholdUs, 'ge');
  const sqlSkipped = await engine.query<ReferenceSkip>(skippedExamplesSql({ rawTable: RAW, columns: ['u', 't'], mapping: mappingFor(format) }, cells.length));
  expect(sqlSkipped).toEqual(skipped);
  const [figures] = await engine.query<DatasetFiguresRow>(datasetFiguresSql({ rawTable: RAW, columns: ['u', 't'], mapping: mappingFor(format) }, EVENTS));
  const instants = events.map((e) => e.tsUs);
  const skippedFor = (reason: SkipReason) => skipped.filter((s) => s.reason === reason).length;
  expect(figures).toEqual({
    // Counted from the raw table, apart from the events: together every row.
    'missing user id': skippedFor('missing user id'),
    'missing timestamp': skippedFor('missing timestamp'),
    'unreadable timestamp': skippedFor('unreadable timestamp'),
    events: events.length,
    users: new Set(events.map((e) => e.user)).size,
    firstEventUs: instants.length ? Math.min(...instants) : null,
    lastEventUs: instants.length ? Math.max(...instants) : null,
    // Each user's events together in (time, row) order, as the stats worker reads them.
    misordered: 0,
  });
}

const T30 = minutesToUs(30);
const at = (time: string) => `2024-05-01T${time}Z`;

interface EdgeCase {
  name: string;
  format?: TimestampFormat;
  thresholdUs?: number;
  rows: [string | null, string | null][];
  /** session_number of each valid row, in row order, for each boundary. */
  ge: number[];
  gt: number[];
}

const edgeCases: EdgeCase[] = [
  {
    name: 'a gap equal to the threshold starts a session with ge, not with gt',
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:30:00')],
    ],
    ge: [1, 2],
    gt: [1, 1],
  },
  {
    name: 'a gap 1 µs below the threshold never starts a session',
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:29:59.999999')],
    ],
    ge: [1, 1],
    gt: [1, 1],
  },
  {
    name: 'a gap 1 µs above the threshold always starts a session',
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:30:00.000001')],
    ],
    ge: [1, 2],
    gt: [1, 2],
  },
  {
    name: 'equal timestamps stay in one session, also right after a threshold gap',
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:00:00')],
      ['a', at('10:30:00')],
      ['a', at('10:30:00')],
      ['a', at('10:30:00')],
    ],
    ge: [1, 1, 2, 2, 2],
    gt: [1, 1, 1, 1, 1],
  },
  {
    name: 'one instant written with different zones is one time',
    rows: [
      ['a', '2024-05-01T10:00:00Z'],
      ['a', '2024-05-01T15:45:00+05:45'],
      ['a', '2024-05-01 07:00:00 -0300'],
      ['a', '2024-05-01 10:30:00 UTC'],
    ],
    ge: [1, 1, 1, 2],
    gt: [1, 1, 1, 1],
  },
  {
    name: 'rows out of time order are sessionized in time order',
    rows: [
      ['a', at('10:45:00')],
      ['a', at('10:00:00')],
      ['a', at('10:20:00')],
      ['a', at('11:30:00')],
      ['a', at('11:15:00')],
    ],
    ge: [1, 1, 1, 2, 2],
    gt: [1, 1, 1, 1, 1],
  },
  {
    name: 'a single event is session 1',
    rows: [['a', at('10:00:00')]],
    ge: [1],
    gt: [1],
  },
  {
    name: 'ids with quotes, commas, unicode and dashes are users of their own',
    rows: [
      ["o'brien", at('10:00:00')],
      ['a,"b"', at('10:00:00')],
      ['ユーザー 😀', at('10:00:00')],
      ['a-1', at('10:00:00')],
      ['a', at('10:00:00')],
      ['-', at('10:00:00')],
      ["o'brien", at('10:40:00')],
      ['a,"b"', at('10:40:00')],
      ['ユーザー 😀', at('10:40:00')],
      ['a-1', at('10:40:00')],
      ['a', at('10:40:00')],
      ['-', at('10:40:00')],
    ],
    ge: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
    gt: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
  },
  {
    // Merged, these would be one chain 10:00, 10:20, 10:40, 10:50 with no gap of 30 minutes.
    name: 'ids that differ only by whitespace are different users; a blank id is skipped',
    rows: [
      ['a', at('10:00:00')],
      [' a', at('10:20:00')],
      ['a ', at('10:40:00')],
      ['a', at('10:50:00')],
      ['   ', at('10:30:00')],
    ],
    ge: [1, 1, 1, 2],
    gt: [1, 1, 1, 2],
  },
  {
    name: 'a threshold of half a minute',
    thresholdUs: minutesToUs(0.5),
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:00:29.999999')],
      ['a', at('10:00:59.999999')],
      ['a', at('10:01:30')],
    ],
    ge: [1, 1, 2, 3],
    gt: [1, 1, 1, 2],
  },
  {
    name: 'a threshold of a tenth of a minute is exactly 6 s',
    thresholdUs: minutesToUs(0.1),
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:00:06')],
      ['a', at('10:00:12.000001')],
    ],
    ge: [1, 2, 3],
    gt: [1, 1, 2],
  },
  {
    name: 'events 1 µs apart with a 1 µs threshold',
    thresholdUs: 1,
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:00:00.000001')],
      ['a', at('10:00:00.000002')],
    ],
    ge: [1, 2, 3],
    gt: [1, 1, 1],
  },
  {
    name: 'events 1 µs apart with a 2 µs threshold',
    thresholdUs: 2,
    rows: [
      ['a', at('10:00:00')],
      ['a', at('10:00:00.000001')],
      ['a', at('10:00:00.000003')],
    ],
    ge: [1, 1, 2],
    gt: [1, 1, 1],
  },
  {
    name: 'epoch-ms decimals land exactly on the threshold',
    format: 'epoch-ms',
    rows: [
      ['a', '1714557600000.001'],
      ['a', '1714559400000.001'],
      ['a', '1714561200000.002'],
    ],
    ge: [1, 2, 3],
    gt: [1, 1, 2],
  },
  {
    name: 'epoch-s decimals land exactly on the threshold',
    format: 'epoch-s',
    rows: [
      ['a', '1714557600.000001'],
      ['a', '1714559400.000001'],
      ['a', '1714561200.000002'],
    ],
    ge: [1, 2, 3],
    gt: [1, 1, 2],
  },
  {
    name: 'day/month dates with microseconds land exactly on the threshold',
    format: 'dmy',
    rows: [
      ['a', '01/05/2024 23:45:00.000001'],
      ['a', '02.05.2024 00:15:00.000001'],
      ['a', '2-5-2024 0:45:00.000002'],
    ],
    ge: [1, 2, 3],
    gt: [1, 1, 2],
  },
  {
    name: 'skipped rows do not break a session or count as events',
    rows: [
      ['a', at('10:00:00')],
      ['a', 'soon'],
      [null, at('10:10:00')],
      ['', at('10:10:00')],
      ['a', null],
      ['a', '  '],
      ['a', at('10:29:00')],
    ],
    ge: [1, 1],
    gt: [1, 1],
  },
];

describe('sessionizedEventsSql on edge cases', () => {
  it.each(edgeCases)('$name', async ({ format = 'iso', thresholdUs = T30, rows, ge, gt }) => {
    const cells = rows.map(([user, ts]) => ({ user, ts }));
    await expectAgreement(cells, format, thresholdUs);
    for (const [boundary, expected] of [
      ['ge', ge],
      ['gt', gt],
    ] as const) {
      const numbers = (await sqlEvents(thresholdUs, boundary)).map((e) => e.sessionNumber);
      expect(numbers, boundary).toEqual(expected);
      const reference = referenceSessionize(referenceRows(cells), format, thresholdUs, boundary);
      expect(
        reference.events.map((e) => e.sessionNumber),
        `reference ${boundary}`,
      ).toEqual(expected);
    }
  });

  it('names sessions <user_id>-<n>, dashes in the id kept', async () => {
    await load(
      [
        { user: 'a-1', ts: at('10:00:00') },
        { user: 'a-1', ts: at('11:00:00') },
        { user: 'a', ts: at('10:00:00') },
      ],
      'iso',
    );
    expect((await sqlEvents(T30, 'ge')).map((e) => e.sessionId)).toEqual(['a-1-1', 'a-1-2', 'a-1']);
  });

  it('gives zero stats and no events when no row is valid', async () => {
    await expectAgreement(
      [
        { user: '', ts: at('10:00:00') },
        { user: 'a', ts: 'never' },
      ],
      'iso',
      T30,
    );
    expect(await sqlStats(T30, 'ge')).toEqual({
      sessions: 0,
      sessionsPerUser: 0,
      medianDurationSeconds: 0,
      meanDurationSeconds: 0,
      medianEventsPerSession: 0,
      singleEventShare: 0,
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a threshold of %s µs', (thresholdUs) => {
    expect(() => sessionizedEventsSql({ eventsTable: EVENTS, thresholdUs, boundary: 'ge' })).toThrow(RangeError);
  });
});

describe('sessionStatsSql on a known answer', () => {
  it('computes medians of an even count as the mean of the middle two', async () => {
    // Sessions: a (1 s, 2 events), b (0 s, 1), c (0 s, 1), d (4 s, 3): durations 0 0 1 4.
    const cells: Cells[] = [
      { user: 'a', ts: '1' },
      { user: 'a', ts: '2' },
      { user: 'b', ts: '1' },
      { user: 'c', ts: '1' },
      { user: 'd', ts: '1' },
      { user: 'd', ts: '1.5' },
      { user: 'd', ts: '5' },
    ];
    await expectAgreement(cells, 'epoch-s', 10_000_000);
    expect(await sqlStats(10_000_000, 'ge')).toEqual({
      sessions: 4,
      sessionsPerUser: 1,
      medianDurationSeconds: 0.5,
      meanDurationSeconds: 1.25,
      medianEventsPerSession: 1.5,
      singleEventShare: 0.5,
    });
  });
});

// ---- Property tests -------------------------------------------------------------------

/** User ids, some of which differ only by whitespace or carry characters that need quoting. */
const USERS = ['a', 'a ', ' a', 'b', "o'brien", 'a,"b"', 'ユーザー😀', 'a-1', '-', 'line\nbreak'];
/** Formats whose texts carry microseconds (clf has whole seconds only). */
const FORMATS: TimestampFormat[] = ['iso', 'dmy', 'mdy', 'epoch-s', 'epoch-ms', 'epoch-us'];

const thresholdArb = fc.oneof(fc.constantFrom(1, 2, 1_000, 1_000_000, minutesToUs(0.5), T30, minutesToUs(90)), fc.integer({ min: 1, max: 3_600_000_000 }));

/** Gaps between a user's events, often exactly at the threshold, 1 µs off it, or 0 (a tie). */
const gapArb = (thresholdUs: number) =>
  fc.oneof(
    fc.constantFrom(0, thresholdUs, thresholdUs - 1, thresholdUs + 1),
    fc.integer({ min: 0, max: thresholdUs }),
    fc.integer({ min: 0, max: 3 * thresholdUs }),
  );

/** One user's events as instants: a start and the gaps after it. */
const userInstantsArb = (format: TimestampFormat, thresholdUs: number) =>
  fc
    .tuple(
      // Shared starts put ties across users as well.
      fc.oneof(fc.constant(Date.UTC(2024, 4, 1) * 1000), instantArb(format)),
      fc.array(gapArb(thresholdUs), { maxLength: 9 }),
    )
    .map(([start, gaps]) => {
      const instants = [start];
      for (const gap of gaps) instants.push((instants.at(-1) ?? start) + gap);
      return instants;
    });

/** Rows that are not events: blank or missing user id, missing or unreadable timestamp. */
const invalidRowArb: fc.Arbitrary<Cells> = fc.constantFrom<Cells>(
  { user: null, ts: '2024-05-01T10:00:00Z' },
  { user: '', ts: '1714557600' },
  { user: '   ', ts: '1714557600' },
  { user: 'a', ts: null },
  { user: 'a', ts: '' },
  { user: 'b', ts: '  ' },
  { user: 'a', ts: 'not a time' },
  { user: 'b', ts: '2024-02-30 10:00:00' },
);

const datasetArb = fc.record({ format: fc.constantFrom(...FORMATS), thresholdUs: thresholdArb }).chain(({ format, thresholdUs }) =>
  fc
    .tuple(
      fc
        .uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 5 })
        .chain((users) =>
          fc.tuple(
            ...users.map((user) =>
              userInstantsArb(format, thresholdUs).chain((instants) =>
                fc.tuple(...instants.map((us) => timestampTextArb(format, us))).map((texts) => texts.map((ts): Cells => ({ user, ts }))),
              ),
            ),
          ),
        ),
      fc.array(invalidRowArb, { maxLength: 3 }),
    )
    .chain(([perUser, invalid]) => {
      const cells = [...perUser.flat(), ...invalid];
      return fc.shuffledSubarray(cells, { minLength: cells.length, maxLength: cells.length });
    })
    .map((cells) => ({ format, thresholdUs, cells })),
);

describe('sessionization SQL agrees with the reference on random clickstreams', () => {
  it('session ids, stats, skipped rows and figures, for both boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async ({ format, thresholdUs, cells }) => {
        await expectAgreement(cells, format, thresholdUs);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
