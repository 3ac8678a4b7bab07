// Types of weblog-twins.mjs for the TypeScript side (the project does not check JS).

export const QUOTED_AGENT: string;
export const QUOTED_EVERY: number;
export const CLOUDFRONT_FIELDS: readonly string[];

export function clfTime(ms: number, offsetMinutes: number): string;
export function ipOfUserNumber(k: number): string;

export interface WeblogTwins {
  /** `user_id,timestamp,url,referrer,device`, timestamps in whole seconds (UTC). */
  csv: string;
  combined: string;
  common: string;
  cloudfront: string;
  /** Each user id's client IP. */
  ipOfUser: Map<string, string>;
}

export function weblogTwins(options: { seed: number; events: number; users?: number }): WeblogTwins;
