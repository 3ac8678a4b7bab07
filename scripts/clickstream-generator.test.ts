import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COLUMNS,
  MAX_LATE_MS,
  Rng,
  TIMESTAMP_FORMATS,
  formatTimestamp,
  generateClickstream,
  hashSeed,
  type ClickstreamOptions,
} from './clickstream-generator.mjs';
import { SAMPLE_BAD_ROWS, SAMPLE_CSV_PATH, SAMPLE_OPTIONS, SAMPLE_README_PATH, buildSample } from './generate-sample.mjs';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const generate = (options: ClickstreamOptions): string[] => [...generateClickstream(options)];

interface Row {
  user: string;
  timestamp: string;
  url: string;
  referrer: string;
  device: string;
}

function rows(lines: readonly string[]): Row[] {
  return lines.slice(1).map((line) => {
    const [user = '', timestamp = '', url = '', referrer = '', device = ''] = line.split(',');
    return { user, timestamp, url, referrer, device };
  });
}

/** Rows whose timestamp is earlier than the latest one above them. */
function outOfOrderRows(timestamps: readonly number[]): number {
  let latest = -Infinity;
  let count = 0;
  for (const t of timestamps) {
    if (t < latest) count++;
    latest = Math.max(latest, t);
  }
  return count;
}

describe('Rng', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = new Rng(hashSeed(7));
    const b = new Rng(hashSeed(7));
    const c = new Rng(hashSeed('7'));
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('generateClickstream', () => {
  const options: ClickstreamOptions = { seed: 42, events: 5000, users: 400, outOfOrder: 0.05 };
  const lines = generate(options);
  const data = rows(lines);

  it('is determined by the seed', () => {
    expect(generate(options)).toEqual(lines);
    expect(generate({ ...options, seed: 43 })).not.toEqual(lines);
    expect(generate({ ...options, seed: 'forty-two' })).not.toEqual(lines);
  });

  it('writes the header and exactly `events` rows of five columns', () => {
    expect(lines[0]).toBe(COLUMNS.join(','));
    expect(lines).toHaveLength(options.events + 1);
    for (const line of lines) {
      expect(line.split(',')).toHaveLength(5);
      expect(line).not.toMatch(/["\r\n]/);
    }
    for (const events of [0, 1, 7, 999]) {
      expect(generate({ seed: 1, events })).toHaveLength(events + 1);
      expect(generate({ seed: 1, events, header: false })).toHaveLength(events);
    }
  });

  it('has the requested users, each with a user id, and a few heavy ones', () => {
    const perUser = new Map<string, number>();
    for (const r of data) perUser.set(r.user, (perUser.get(r.user) ?? 0) + 1);
    expect(perUser.size).toBe(options.users);
    expect(perUser.has('')).toBe(false);
    const counts = [...perUser.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 100)).reduce((s, n) => s + n, 0);
    expect(top / options.events).toBeGreaterThan(0.1); // the busiest 1% of users
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThanOrEqual(8); // the median user
  });

  it('writes ISO 8601 UTC timestamps with milliseconds within the period', () => {
    const start = Date.parse('2024-05-01T00:00:00.000Z');
    for (const r of data) {
      expect(r.timestamp).toMatch(ISO_MS);
      const t = Date.parse(r.timestamp);
      expect(new Date(t).toISOString()).toBe(r.timestamp);
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThan(start + 30 * 86_400_000);
    }
  });

  it('fills url, referrer and device with plausible values', () => {
    for (const r of data) {
      expect(r.url).toMatch(
        /^\/(products\/\d+|category\/[a-z-]+|search\?q=[a-z+]+|cart|checkout(\/complete)?|blog\/[a-z0-9-]+|account|robots\.txt|sitemap\.xml)?$/,
      );
      expect(['mobile', 'desktop', 'tablet', 'bot']).toContain(r.device);
    }
    const withReferrer = data.filter((r) => r.referrer !== '').length;
    expect(withReferrer).toBeGreaterThan(0);
    expect(withReferrer / data.length).toBeLessThan(0.3);
  });

  it('puts rows out of order only when asked, and by at most MAX_LATE_MS', () => {
    const times = data.map((r) => Date.parse(r.timestamp));
    expect(outOfOrderRows(times)).toBeGreaterThan(0);
    let latest = -Infinity;
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(latest - MAX_LATE_MS);
      latest = Math.max(latest, t);
    }
    const ordered = rows(generate({ ...options, outOfOrder: 0 })).map((r) => Date.parse(r.timestamp));
    expect(outOfOrderRows(ordered)).toBe(0);
    expect([...ordered].sort((a, b) => a - b)).toEqual([...times].sort((a, b) => a - b));
  });

  it('writes the same instants in every timestamp format', () => {
    const iso = rows(generate({ seed: 3, events: 300 }));
    const ms = rows(generate({ seed: 3, events: 300, format: 'epoch-ms' }));
    expect(ms.map((r) => new Date(Number(r.timestamp)).toISOString())).toEqual(iso.map((r) => r.timestamp));
    const t = Date.parse('2024-05-03T07:08:09.012Z');
    const written = TIMESTAMP_FORMATS.map((f) => formatTimestamp(t, f));
    expect(written).toEqual([
      '2024-05-03T07:08:09.012Z',
      '03/05/2024 07:08:09.012',
      '05/03/2024 07:08:09.012',
      '03/May/2024:07:08:09 +0000',
      '1714720089',
      '1714720089012',
      '1714720089012000',
    ]);
  });

  it('includes regular, round-the-clock bots', () => {
    const many = rows(generate({ seed: 5, events: 20_000, users: 2_000 }));
    const byUser = new Map<string, number[]>();
    for (const r of many) byUser.set(r.user, [...(byUser.get(r.user) ?? []), Date.parse(r.timestamp)]);
    const regular = [...byUser.values()].filter((ts) => {
      if (ts.length < 50) return false;
      const gaps = ts.slice(1).map((t, i) => t - (ts[i] ?? t));
      const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
      return sd / mean < 0.05;
    });
    expect(regular).toHaveLength(2);
  });

  it('rejects options it cannot honour at once', () => {
    expect(() => generateClickstream({ seed: 1, events: 10, users: 11 })).toThrow(RangeError);
    expect(() => generateClickstream({ seed: 1, events: 1.5 })).toThrow(RangeError);
    expect(() => generateClickstream({ seed: 1, events: 10, outOfOrder: 2 })).toThrow(RangeError);
  });
});

describe('the bundled sample', () => {
  const fresh = buildSample();

  it('is what scripts/generate-sample.mjs writes (run `npm run sample` after changing it)', () => {
    expect(readFileSync(SAMPLE_CSV_PATH, 'utf8') === fresh.csv).toBe(true);
    expect(readFileSync(SAMPLE_README_PATH, 'utf8')).toBe(fresh.readme);
  });

  it('has the advertised rows, users and bad rows, and stays small', () => {
    const { stats } = fresh;
    const badCount = SAMPLE_BAD_ROWS.missingUser + SAMPLE_BAD_ROWS.unreadableTimestamp;
    expect(stats.events).toBe(SAMPLE_OPTIONS.events);
    expect(stats.rows).toBe(SAMPLE_OPTIONS.events + badCount);
    expect(stats.users).toBe(SAMPLE_OPTIONS.users);
    expect(stats.outOfOrderRows).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThan(4_000_000);

    const data = rows(fresh.csv.trimEnd().split('\n'));
    expect(data).toHaveLength(stats.rows);
    const missingUser = data.filter((r) => r.user === '');
    const unreadable = data.filter((r) => Number.isNaN(Date.parse(r.timestamp)));
    expect(missingUser).toHaveLength(SAMPLE_BAD_ROWS.missingUser);
    expect(unreadable).toHaveLength(SAMPLE_BAD_ROWS.unreadableTimestamp);
    expect(stats.badRows.map((b) => data[b.row - 1])).toEqual(data.filter((r) => r.user === '' || Number.isNaN(Date.parse(r.timestamp))));
  });
});
