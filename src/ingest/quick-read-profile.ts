import type { ColumnProfile } from '../domain/types';
import { IsoInstantReader } from './iso-instant';
import type { SampleCells } from './quick-read-scan';
import { PROFILE_SAMPLE_VALUES, SAMPLE_VALUE_CHARS } from '../sql/profile-sql';

/*
 * columnProfileSql's profiles computed from the quick read's sample, for detectMapping.
 * Exact: nonEmpty, distinct, timeOfDay, withClock, urlLike, and iso/isoMidnight of a column
 * whose every value has the quick read's ISO shape. The rest are lower bounds (numeric,
 * decimal, dmy, mdy, clf are 0; iso counts only that shape): quickRead accepts only mappings that do not
 * depend on them (a timestamp column found by name, ranked above every other one, holding
 * only that shape; a user column found by name).
 */

const TIME_OF_DAY = /^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?$/;
const CLOCK = /\d:\d\d/;
const URL_LIKE = /^(\/|https?:\/\/|www\.)/;
const MIDNIGHT_US = 86_400_000_000;

/** SQL trim(): spaces only. */
function trimSpaces(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) === 32) a++;
  while (b > a && text.charCodeAt(b - 1) === 32) b--;
  return text.slice(a, b);
}

export function sampleProfiles(bytes: Uint8Array, names: string[], sample: SampleCells): ColumnProfile[] {
  const decoder = new TextDecoder();
  const iso = new IsoInstantReader(bytes);
  const profiles: ColumnProfile[] = [];
  sample.columns.forEach((column, j) => {
    const starts = sample.starts[j] as Int32Array;
    const ends = sample.ends[j] as Int32Array;
    const p: ColumnProfile = {
      column: names[column] ?? '',
      nonEmpty: 0,
      distinct: 0,
      numeric: 0,
      numericMedian: null,
      decimal: 0,
      iso: 0,
      isoMidnight: 0,
      dmy: 0,
      mdy: 0,
      clf: 0,
      timeOfDay: 0,
      withClock: 0,
      urlLike: 0,
      sampleRows: sample.rows,
      samples: [],
    };
    const distinct = new Set<string>();
    for (let r = 0; r < sample.rows; r++) {
      const start = starts[r] as number;
      const end = ends[r] as number;
      // An empty cell, quoted or not, is NULL in the raw table: UNPIVOT leaves it out.
      if (start === end) continue;
      const value = decoder.decode(bytes.subarray(start, end));
      distinct.add(value);
      const trimmed = trimSpaces(value);
      if (trimmed !== '' && p.samples.length < PROFILE_SAMPLE_VALUES) {
        const cut = value.slice(0, SAMPLE_VALUE_CHARS);
        if (!p.samples.includes(cut)) p.samples.push(cut);
      }
      if (trimmed !== '') p.nonEmpty++;
      const t = iso.read(start, end);
      if (!Number.isNaN(t)) {
        p.iso++;
        if (t % MIDNIGHT_US === 0) p.isoMidnight++;
      }
      if (TIME_OF_DAY.test(trimmed)) p.timeOfDay++;
      if (CLOCK.test(value)) p.withClock++;
      if (URL_LIKE.test(trimmed)) p.urlLike++;
    }
    p.distinct = distinct.size;
    // A column without a value in the sample has no row in the SQL profile.
    if (distinct.size > 0) profiles.push(p);
  });
  return profiles;
}
