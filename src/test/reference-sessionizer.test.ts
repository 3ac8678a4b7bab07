import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIMESTAMP_FORMATS, type TimestampFormat } from '../domain/types';
import { referenceParseTimestampUs, referenceSessionize, referenceSessionStats, type ReferenceRow } from './reference-sessionizer';
import { timestampSampleArb } from './timestamp-text';

// The reference is only worth comparing against if it is right: these pin it to answers
// worked out by hand and to JavaScript's own UTC calendar, without DuckDB.

const us = (iso: string): number => Date.parse(iso) * 1000;

describe('referenceParseTimestampUs', () => {
  const cases: [TimestampFormat, string, number | null][] = [
    ['iso', '2024-05-01T10:00:00Z', us('2024-05-01T10:00:00Z')],
    ['iso', '2024-05-01 10:00:00', us('2024-05-01T10:00:00Z')],
    ['iso', '2024-05-01T10:00', us('2024-05-01T10:00:00Z')],
    ['iso', '2024-05-01T10:00Z', us('2024-05-01T10:00:00Z')],
    ['iso', '2024-05-01', us('2024-05-01T00:00:00Z')],
    ['iso', '2024/05/01 10:00:00 UTC', us('2024-05-01T10:00:00Z')],
    ['iso', '2024-05-01T10:00:00.5+05:45', us('2024-05-01T04:15:00Z') + 500_000],
    ['iso', '2024-05-01 10:00:00 -0330', us('2024-05-01T13:30:00Z')],
    ['iso', '2024-05-01T10:00:00+05', us('2024-05-01T05:00:00Z')],
    ['iso', '2024-05-01T10:00:00.123456789Z', us('2024-05-01T10:00:00Z') + 123_456],
    ['iso', '1969-12-31T23:59:59.999999Z', -1],
    ['iso', '0024-12-31', -61_378_300_800_000_000],
    ['iso', '2024-02-29', us('2024-02-29T00:00:00Z')],
    ['iso', '2023-02-29', null],
    ['iso', '2024-02-30 10:00:00', null],
    ['iso', '1900-02-29', null],
    ['iso', '2024-05-01 24:00:00', null],
    ['iso', '2024-05-01 10:60:00', null],
    ['iso', '2024-05-01 10:00:60', null],
    ['iso', '2024-05-01 10:00:00+24:00', null],
    ['iso', 'yesterday', null],
    ['iso', '', null],
    ['dmy', '31/12/2024 23:59', us('2024-12-31T23:59:00Z')],
    ['dmy', '1.2.2024', us('2024-02-01T00:00:00Z')],
    ['dmy', '01-02-2024 9:05:07.25', us('2024-02-01T09:05:07.250Z')],
    ['mdy', '12/31/2024 23:59:59.000001', us('2024-12-31T23:59:59Z') + 1],
    ['mdy', '31/12/2024', null],
    ['dmy', '31/12/24', null],
    ['dmy', '31/12-2024', null],
    ['clf', '10/Oct/2000:13:55:36 -0700', us('2000-10-10T20:55:36Z')],
    ['clf', '10/oct/2000:13:55:36', us('2000-10-10T13:55:36Z')],
    ['epoch-s', '1714557600.123456', 1_714_557_600_123_456],
    ['epoch-s', '-1.5', -1_500_000],
    ['epoch-s', '.5', 500_000],
    ['epoch-ms', '1714557600123.5', 1_714_557_600_123_500],
    ['epoch-ms', '0.0004995', 0],
    ['epoch-us', '2.5', 3],
    ['epoch-us', '-2.5', -3],
    ['epoch-us', '2.4999999', 2],
    ['epoch-s', '99999999999999999999', null],
    ['epoch-s', '1e9', null],
    ['epoch-s', '.', null],
    ['epoch-s', '', null],
  ];
  it.each(cases)('reads %s %j as %j', (format, text, expected) => {
    expect(referenceParseTimestampUs(text, format)).toBe(expected);
  });

  it('agrees with the UTC calendar of Date on every date, and refuses days past the month end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const ms = Date.UTC(year, month - 1, day);
        const exists = new Date(ms).getUTCDate() === day; // Date rolls 02-30 over to March
        expect(referenceParseTimestampUs(text, 'iso')).toBe(exists ? ms * 1000 : null);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it.each(TIMESTAMP_FORMATS)('reads back every generated %s spelling of an instant', (format) => {
    fc.assert(
      fc.property(timestampSampleArb(format), ({ us: expected, text }) => {
        expect(referenceParseTimestampUs(text, format)).toBe(expected);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('referenceSessionize', () => {
  const rows: ReferenceRow[] = [
    { row: 1, user: 'a', ts: '2024-05-01T10:59:59Z' },
    { row: 2, user: 'a', ts: '2024-05-01T10:00:00Z' },
    { row: 3, user: ' ', ts: '2024-05-01T10:00:00Z' },
    { row: 4, user: 'b', ts: '2024-05-01T10:00:00Z' },
    { row: 5, user: 'a', ts: '2024-05-01T10:29:59Z' },
    { row: 6, user: 'b', ts: 'soon' },
    { row: 7, user: 'b', ts: '  ' },
    { row: 8, user: 'a', ts: '2024-05-01T10:00:00Z' },
  ];

  it('numbers sessions per user in time order, ties and row order kept, and lists skipped rows', () => {
    const { events, skipped } = referenceSessionize(rows, 'iso', 30 * 60_000_000, 'ge');
    expect(events.map((e) => [e.row, e.sessionId])).toEqual([
      [1, 'a-2'],
      [2, 'a-1'],
      [4, 'b-1'],
      [5, 'a-1'],
      [8, 'a-1'],
    ]);
    expect(skipped).toEqual([
      { row: 3, reason: 'missing user id', user: null, timestamp: '2024-05-01T10:00:00Z' },
      { row: 6, reason: 'unreadable timestamp', user: 'b', timestamp: 'soon' },
      { row: 7, reason: 'missing timestamp', user: 'b', timestamp: '  ' },
    ]);
  });

  it('keeps a gap equal to the threshold in the session with the gt boundary', () => {
    const { events } = referenceSessionize(rows, 'iso', 30 * 60_000_000, 'gt');
    expect(events.map((e) => e.sessionNumber)).toEqual([1, 1, 1, 1, 1]);
  });

  it('computes the stats: medians of an even count are the mean of the middle two', () => {
    const { events } = referenceSessionize(rows, 'iso', 30 * 60_000_000, 'ge');
    // Sessions: a-1 (10:00, 10:00, 10:29:59: 1799 s, 3 events), a-2 (0 s, 1), b-1 (0 s, 1).
    expect(referenceSessionStats(events)).toEqual({
      sessions: 3,
      sessionsPerUser: 1.5,
      medianDurationSeconds: 0,
      meanDurationSeconds: 1799 / 3,
      medianEventsPerSession: 1,
      singleEventShare: 2 / 3,
    });
    const four = referenceSessionize(
      [
        { row: 1, user: 'a', ts: '1' },
        { row: 2, user: 'a', ts: '2' },
        { row: 3, user: 'b', ts: '1' },
        { row: 4, user: 'c', ts: '1' },
        { row: 5, user: 'd', ts: '1' },
        { row: 6, user: 'd', ts: '1.5' },
        { row: 7, user: 'd', ts: '5' },
      ],
      'epoch-s',
      10_000_000,
      'ge',
    );
    expect(referenceSessionStats(four.events)).toMatchObject({
      sessions: 4,
      medianDurationSeconds: 0.5,
      meanDurationSeconds: 5 / 4,
      medianEventsPerSession: 1.5,
    });
  });

  it('gives zeros for no events', () => {
    expect(referenceSessionStats([])).toEqual({
      sessions: 0,
      sessionsPerUser: 0,
      medianDurationSeconds: 0,
      meanDurationSeconds: 0,
      medianEventsPerSession: 0,
      singleEventShare: 0,
    });
  });
});
