// Types of generate-sample.mjs for the TypeScript side; keep in step with its JSDoc.

export const SAMPLE_OPTIONS: Readonly<{ seed: number; events: number; users: number; outOfOrder: number }>;
export const SAMPLE_BAD_ROWS: Readonly<{ missingUser: number; unreadableTimestamp: number }>;
export const UNREADABLE_TIMESTAMP: string;
export const SAMPLE_CSV_PATH: string;
export const SAMPLE_README_PATH: string;

export interface BadRow {
  /** 1-based among the data rows (the header is not counted). */
  row: number;
  reason: 'missing user id' | 'unreadable timestamp';
  line: string;
}

export interface SampleStats {
  rows: number;
  events: number;
  users: number;
  badRows: BadRow[];
  outOfOrderRows: number;
  sessions: number;
  first: string;
  last: string;
  bytes: number;
}

export function buildSample(): { csv: string; readme: string; stats: SampleStats };
export function writeLines(lines: Iterable<string>, out: NodeJS.WritableStream): Promise<void>;
