import { describe, expect, it } from 'vitest';
import { betterUserColumn, columnEvidence, evidenceLabel } from './column-evidence';
import type { ColumnMapping, ColumnProfile } from './types';

function profile(column: string, nonEmpty: number, distinct: number, extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    column,
    nonEmpty,
    distinct,
    numeric: 0,
    decimal: 0,
    numericMedian: null,
    iso: 0,
    isoMidnight: 0,
    dmy: 0,
    mdy: 0,
    clf: 0,
    timeOfDay: 0,
    withClock: 0,
    urlLike: 0,
    sampleRows: 2000,
    samples: [],
    ...extra,
  };
}

const GA4: ColumnProfile[] = [
  profile('event_timestamp', 2000, 1990, { iso: 2000 }),
  profile('user_id', 180, 40),
  profile('user_pseudo_id', 2000, 310),
  profile('event_name', 2000, 12),
  profile('ga_session_id', 2000, 500),
];
const MAPPING: ColumnMapping = { user: 'user_id', timestamp: 'event_timestamp', time: '', url: 'event_name', format: 'iso' };

describe('column evidence', () => {
  it('says how full a column is and how many distinct values it holds', () => {
    const e = columnEvidence(profile('user_id', 180, 40));
    expect(e.filled).toBeCloseTo(0.09);
    expect(evidenceLabel(e)).toBe('9% filled, 40 distinct');
  });

  it('offers the fuller user column of a GA4 export when the sparse user_id is chosen', () => {
    expect(betterUserColumn(GA4, MAPPING)?.column).toBe('user_pseudo_id');
  });

  it('offers nothing when the chosen user column is full', () => {
    expect(betterUserColumn(GA4, { ...MAPPING, user: 'user_pseudo_id' })).toBeNull();
  });

  it('never offers a column already mapped, a timestamp, or one with a value per row', () => {
    const profiles = [
      profile('user_id', 100, 30),
      profile('visitor_ts', 2000, 300, { iso: 2000 }),
      profile('client_row', 2000, 2000),
      profile('device', 2000, 50),
    ];
    expect(betterUserColumn(profiles, { ...MAPPING, url: 'device' })).toBeNull();
  });
});
