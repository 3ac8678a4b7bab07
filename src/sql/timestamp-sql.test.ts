import { describe, expect, it, beforeAll } from 'vitest';
import { timestampUsSql } from './timestamp-sql';
import { quoteString } from './quote';
import type { TimestampFormat } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const us = (iso: string) => Date.parse(iso) * 1000;

const cases: [TimestampFormat, string, number | null][] = [
  ['iso', '2024-05-01T10:00:00Z', us('2024-05-01T10:00:00Z')],
  ['iso', '2024-05-01T10:00:00.123456+02:00', us('2024-05-01T08:00:00Z') + 123456],
  ['iso', '2024-05-01T10:00:00-0500', us('2024-05-01T15:00:00Z')],
  ['iso', '2024-05-01 10:00:00 +05:30', us('2024-05-01T04:30:00Z')],
  ['iso', '2024-05-01 10:00:00', us('2024-05-01T10:00:00Z')],
  ['iso', '2024-05-01 10:00:00.000001', us('2024-05-01T10:00:00Z') + 1],
  ['iso', '2024-05-01 10:00:00 UTC', us('2024-05-01T10:00:00Z')],
  ['iso', '2024/05/01 10:00:00', us('2024-05-01T10:00:00Z')],
  ['iso', ' 2024-05-01T10:00 ', us('2024-05-01T10:00:00Z')],
  ['iso', '\u00a02024-05-01T10:00:00Z', us('2024-05-01T10:00:00Z')],
  ['iso', '\ufeff2024-05-01 10:00 +02:00', us('2024-05-01T08:00:00Z')],
  ['iso', '\t\u000b2024-05-01 10:00:00 -0500\r', us('2024-05-01T15:00:00Z')],
  ['iso', '2024-05-01T24:00:00Z', null],
  ['iso', ' 2024-05-01 24:00', null],
  ['iso', '2024-02-30 10:00:00', null],
  ['iso', 'yesterday', null],
  ['iso', '', null],
  ['dmy', '31/12/2024 23:59', us('2024-12-31T23:59:00Z')],
  ['dmy', '01.02.2024', us('2024-02-01T00:00:00Z')],
  ['mdy', '12/31/2024 23:59:59.5', us('2024-12-31T23:59:59.5Z')],
  ['mdy', '31/12/2024', null],
  ['clf', '10/Oct/2000:13:55:36 -0700', us('2000-10-10T20:55:36Z')],
  ['epoch-s', '1714557600', us('2024-05-01T10:00:00Z')],
  ['epoch-s', '1714557600.123456', us('2024-05-01T10:00:00Z') + 123456],
  ['epoch-ms', '1714557600123', us('2024-05-01T10:00:00.123Z')],
  ['epoch-ms', '1714557600123.5', us('2024-05-01T10:00:00.123Z') + 500],
  ['epoch-us', '1714557600000001', us('2024-05-01T10:00:00Z') + 1],
  ['epoch-s', 'abc', null],
];

describe('timestampUsSql', () => {
  it.each(cases)('reads %s %j', async (format, text, expected) => {
    const rows = await engine.query<{ us: number | null }>(`SELECT ${timestampUsSql(quoteString(text), format)} AS us`);
    expect(rows[0]?.us ?? null).toBe(expected);
  });
});
