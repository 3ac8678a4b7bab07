import type { ColumnMapping, ColumnProfile } from './types';
import { normalizeName } from './detect-columns';

/*
 * What the mapping panel shows beside each column choice: how full the column is, how many
 * distinct values it holds and a few of them (from the profile of the first rows), and,
 * when the chosen user column leaves many rows without a user, the better-filled column
 * to use instead. GA4 exports are the example: user_id is mostly empty, user_pseudo_id full.
 */

/** Past this share of rows skipped for a missing user id, the page warns (about a fifth). */
export const SKIPPED_USER_WARN_SHARE = 0.2;

export interface ColumnEvidence {
  column: string;
  /** Share of the sampled rows with a non-empty value, 0..1. */
  filled: number;
  distinct: number;
  sampleRows: number;
  samples: string[];
}

export function columnEvidence(p: ColumnProfile): ColumnEvidence {
  return { column: p.column, filled: p.sampleRows > 0 ? p.nonEmpty / p.sampleRows : 0, distinct: p.distinct, sampleRows: p.sampleRows, samples: p.samples };
}

/** A short label for an option: "user_pseudo_id — 100% filled, 1,204 distinct". */
export function evidenceLabel(e: ColumnEvidence | undefined): string {
  if (!e) return '';
  return `${Math.round(e.filled * 100)}% filled, ${e.distinct.toLocaleString('en-US')} distinct`;
}

const USER_WORDS = ['user', 'visitor', 'client', 'customer', 'person', 'distinct', 'anonymous', 'device', 'cookie', 'member', 'account', 'pseudo', 'uid', 'ip'];

/**
 * The column to offer instead of a user column that leaves rows without a user: the fullest
 * column named like a user id (or holding repeated, varied values like one), clearly fuller
 * than the chosen one, and not one of the other mapped columns. Null when none is.
 */
export function betterUserColumn(profiles: readonly ColumnProfile[], mapping: ColumnMapping): ColumnEvidence | null {
  const current = profiles.find((p) => p.column === mapping.user);
  const currentFilled = current ? columnEvidence(current).filled : 0;
  const taken = new Set([mapping.user, mapping.timestamp, mapping.time, mapping.url]);
  const userLike = (p: ColumnProfile) => {
    const name = normalizeName(p.column);
    return USER_WORDS.some((w) => name.includes(w)) && p.iso === 0;
  };
  const candidates = profiles
    .filter((p) => !taken.has(p.column) && userLike(p) && p.distinct > 1 && p.distinct < p.nonEmpty)
    .map(columnEvidence)
    .filter((e) => e.filled >= 0.9 && e.filled >= currentFilled + 0.1)
    .sort((a, b) => b.filled - a.filled);
  return candidates[0] ?? null;
}
