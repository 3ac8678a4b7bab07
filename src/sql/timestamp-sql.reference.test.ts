import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMESTAMP_FORMATS, type TimestampFormat } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { referenceParseTimestampUs } from '../test/reference-sessionizer';
import { timestampSampleArb } from '../test/timestamp-text';
import { quoteString } from './quote';
import { timestampUsSql } from './timestamp-sql';

// timestampUsSql, evaluated by DuckDB, against the independent reference parser.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** The SQL reading of every text, in one query. */
async function sqlReadings(texts: readonly string[], format: TimestampFormat): Promise<(number | null)[]> {
  if (texts.length === 0) return [];
  const values = texts.map((t, i) => `(${i}, ${quoteString(t)})`).join(', ');
  const rows = await engine.query<{ us: number | null }>(`SELECT ${timestampUsSql('t', format)} AS us FROM (VALUES ${values}) v(i, t) ORDER BY i`);
  return rows.map((r) => r.us);
}

describe('timestampUsSql agrees with the reference', () => {
  it.each(TIMESTAMP_FORMATS)('on generated %s spellings of random instants', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.array(timestampSampleArb(format), { minLength: 1, maxLength: 25 }), async (samples) => {
        const texts = samples.map((s) => s.text);
        const reference = texts.map((t) => referenceParseTimestampUs(t, format));
        expect(reference).toEqual(samples.map((s) => s.us)); // the generator and reference agree
        expect(await sqlReadings(texts, format)).toEqual(reference);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('on offsets of every form, fractions of 1 to 6 digits, and epoch decimals', async () => {
    const cases: [TimestampFormat, string][] = [
      ['iso', '2024-05-01T10:00:00+05:45'],
      ['iso', '2024-05-01T10:00:00+0545'],
      ['iso', '2024-05-01 10:00:00 +05:45'],
      ['iso', '2024-05-01T10:00:00-0330'],
      ['iso', '2024-05-01T10:00:00 -03:30'],
      ['iso', '2024-05-01T10:00:00-03'],
      ['iso', '2024-05-01T10:00:00.1+14:00'],
      ['iso', '2024-05-01T10:00:00.12-12:00'],
      ['iso', '2024-05-01T10:00:00.123Z'],
      ['iso', '2024-05-01T10:00:00.1234 UTC'],
      ['iso', '2024-05-01T10:00:00.12345'],
      ['iso', '2024-05-01T10:00:00.123456 +0000'],
      ['iso', '2024-05-01T10:00:00.1234567Z'],
      ['iso', '2024-05-01T10:00:00.9999999Z'],
      ['iso', '1969-12-31T23:59:59.999999Z'],
      ['iso', '2024/05/01'],
      ['iso', '2024-05-01'],
      ['dmy', '29/02/2024 10:00:00.5'],
      ['dmy', '1.2.2024 9:05'],
      ['mdy', '02-29-2024 23:59:59.999999'],
      ['epoch-s', '1714557600.123456'],
      ['epoch-s', '1714557600.1'],
      ['epoch-s', '-1.000001'],
      ['epoch-s', '+12'],
      ['epoch-s', '1714557600.1234565'],
      ['epoch-ms', '1714557600123.456'],
      ['epoch-ms', '1714557600123.4565'],
      ['epoch-us', '1.5'],
      ['epoch-us', '-2.5'],
      ['epoch-us', '2.499999'],
    ];
    for (const [format, text] of cases) {
      const expected = referenceParseTimestampUs(text, format);
      expect(expected, `${format} ${text}`).not.toBeNull();
      expect(await sqlReadings([text], format), `${format} ${text}`).toEqual([expected]);
    }
  });

  it('on epoch decimals with sub-microsecond digits (both round half away from zero)', async () => {
    // Up to 6 decimals of ms or µs, any of s: one rounding step in the SQL as in the reference.
    const decimal = (maxWhole: bigint, maxFraction: number) =>
      fc
        .tuple(fc.constantFrom('', '-'), fc.bigInt({ min: 0n, max: maxWhole }), fc.stringMatching(new RegExp(`^\\d{0,${maxFraction}}$`)))
        .map(([sign, whole, fraction]) => `${sign}${whole}${fraction ? `.${fraction}` : ''}`);
    const forms: [TimestampFormat, fc.Arbitrary<string>][] = [
      ['epoch-s', decimal(4_000_000_000n, 9)],
      ['epoch-ms', decimal(4_000_000_000_000n, 6)],
      ['epoch-us', decimal(4_000_000_000_000_000n, 6)],
    ];
    for (const [format, arb] of forms) {
      await fc.assert(
        fc.asyncProperty(fc.array(arb, { minLength: 1, maxLength: 25 }), async (texts) => {
          const reference = texts.map((t) => referenceParseTimestampUs(t, format));
          expect(await sqlReadings(texts, format)).toEqual(reference);
        }),
        { seed: 42, numRuns: 40 },
      );
    }
  });

  it('on texts that are not a valid instant: both unreadable', async () => {
    const cases: [TimestampFormat, string][] = [
      ['iso', '2024-02-30 10:00:00'],
      ['iso', '2023-02-29'],
      ['iso', '1900-02-29T00:00:00Z'],
      ['iso', '2024-04-31'],
      ['iso', '2024-13-01'],
      ['iso', '2024-00-10'],
      ['iso', '2024-05-00'],
      ['iso', '2024-05-32'],
      ['iso', '2024-05-01T25:00:00'],
      ['iso', '2024-05-01T10:60:00'],
      ['iso', '2024-05-01T10:00:60'],
      ['iso', 'yesterday'],
      ['iso', ''],
      ['iso', '2024-05-01x'],
      ['iso', 'x2024-05-01'],
      ['iso', '2024-05-01 10:00:00 GMT'],
      ['dmy', '30/02/2024'],
      ['dmy', '29/02/2023 10:00'],
      ['dmy', '31/04/2024'],
      ['dmy', '01/13/2024'],
      ['dmy', '31/12-2024'],
      ['dmy', '31/12/2024 25:00'],
      ['dmy', '31/12/2024 23:60'],
      ['dmy', '31/12/2024 23:59:60'],
      ['dmy', '31/12/2024T10:00'],
      ['dmy', '31.12.2024 23:59:59.1234567'],
      ['mdy', '31/12/2024'],
      ['mdy', '02/30/2024'],
      ['clf', '31/Apr/2024:10:00:00 +0000'],
      ['clf', '10/Foo/2000:13:55:36'],
      ['epoch-s', 'abc'],
      ['epoch-s', ''],
      ['epoch-s', '-'],
      ['epoch-s', '1 2'],
      ['epoch-s', '1,5'],
      ['epoch-s', '99999999999999999999'],
      ['epoch-us', '9223372036854775808'],
    ];
    for (const [format, text] of cases) {
      expect(referenceParseTimestampUs(text, format), `${format} ${text}`).toBeNull();
      expect(await sqlReadings([text], format), `${format} ${text}`).toEqual([null]);
    }
  });
});

/*
 * Forms where the SQL once disagreed with the reference (found by these tests, then fixed
 * in timestamp-sql.ts): both must now give the reference's reading.
 */
describe('former discrepancies between timestampUsSql and the reference', () => {
  const us = (iso: string): number => Date.parse(iso) * 1000;
  const cases: { why: string; format: TimestampFormat; text: string; expected: number | null }[] = [
    { why: 'HH:MM without seconds, then Z', format: 'iso', text: '2024-05-01T10:00Z', expected: us('2024-05-01T10:00:00Z') },
    { why: 'HH:MM without seconds, then an offset', format: 'iso', text: '2024-05-01 10:00 +05:30', expected: us('2024-05-01T04:30:00Z') },
    { why: 'HH:MM without seconds, then UTC', format: 'iso', text: '2024-05-01 10:00 UTC', expected: us('2024-05-01T10:00:00Z') },
    { why: 'a trailing tab is whitespace', format: 'iso', text: '2024-05-01 10:00:00\t', expected: us('2024-05-01T10:00:00Z') },
    { why: 'a two-digit year is refused', format: 'dmy', text: '31/12/24', expected: null },
    { why: 'an hour of 24 is refused', format: 'iso', text: '2024-05-01 24:00:00', expected: null },
    { why: 'epoch ms rounded once, to the microsecond', format: 'epoch-ms', text: '0.0004995', expected: 0 },
    { why: 'epoch µs rounded once', format: 'epoch-us', text: '2.4999999', expected: 2 },
  ];
  it.each(cases)('$format $text: $why', async ({ format, text, expected }) => {
    expect(await sqlReadings([text], format)).toEqual([expected]);
    expect(referenceParseTimestampUs(text, format)).toBe(expected);
  });
});
