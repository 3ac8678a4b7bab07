import { clfShape, clfTokens, parseClfLine, type ClfRecord } from './weblog-clf';
import type { ColumnMapping } from './types';

/*
 * Web-server access logs, known by their content (not their name): Apache/Nginx lines in
 * the common or combined format (weblog-clf.ts), and W3C extended logs (IIS, CloudFront),
 * whose `#Fields:` directive names the columns of the lines below it. A reader turns each
 * line into a record of named text fields, or says why the line is not one.
 */

export type WeblogFormat = 'common' | 'combined' | 'w3c';

/** The derived user column: the client IP and the user agent, joined by a space. */
export const IP_USER_AGENT = 'ip_user_agent';

/** Lines looked at to decide whether a file is a log, and in which format. */
export const WEBLOG_SNIFF_LINES = 20;

/** The format of a log from its first lines (null: not a log). */
export function detectWeblog(lines: readonly string[]): WeblogFormat | null {
  const nonBlank = lines.filter((l) => l.trim() !== '').slice(0, WEBLOG_SNIFF_LINES);
  if (nonBlank.length === 0) return null;
  // W3C: directives first (#Software, #Version, #Date), one of them #Fields.
  const firstData = nonBlank.findIndex((l) => !l.startsWith('#'));
  const directives = firstData < 0 ? nonBlank : nonBlank.slice(0, firstData);
  if (directives.some((l) => /^#Fields:\s*\S/.test(l))) return 'w3c';
  // The last line of a head may be cut off: it is not counted against the file.
  const looked = nonBlank.length > 1 ? nonBlank.slice(0, -1) : nonBlank;
  const shapes = looked.map((l) => {
    const tokens = clfTokens(l);
    return typeof tokens === 'string' ? null : clfShape(tokens);
  });
  const combined = shapes.filter((s) => s === 'combined').length;
  const common = shapes.filter((s) => s === 'common').length;
  // Most lines, the first among them, must read as log lines.
  if (shapes[0] === null || (combined + common) * 2 < looked.length) return null;
  return combined >= common ? 'combined' : 'common';
}

export const WEBLOG_FORMAT_NAMES: Record<WeblogFormat, string> = {
  common: 'an Apache/Nginx access log in the common format',
  combined: 'an Apache/Nginx access log in the combined format',
  w3c: 'a W3C extended log (IIS, CloudFront)',
};

/** What a line is: a record, a line that is no row (blank, a directive), or a malformed line and why. */
export type WeblogLine = { record: ClfRecord } | { skip: true } | { problem: string };

/** Reads a log line by line, in file order (W3C directives change the columns of the lines below them). */
export class WeblogReader {
  private fields: string[] | null = null;

  constructor(readonly format: WeblogFormat) {}

  line(text: string): WeblogLine {
    if (text.trim() === '') return { skip: true };
    if (this.format !== 'w3c') {
      const parsed = parseClfLine(text, this.format);
      if (typeof parsed === 'string') return { problem: parsed };
      return { record: withIpUserAgent(parsed, 'client_ip', 'user_agent') };
    }
    if (text.startsWith('#')) {
      const fields = /^#Fields:\s*(.*)$/.exec(text.trimEnd());
      if (fields) this.fields = (fields[1] ?? '').split(/\s+/).filter((f) => f !== '');
      return { skip: true };
    }
    if (!this.fields) return { problem: 'a log line before any #Fields: line, which names its columns' };
    // CloudFront separates fields by tabs (its #Fields line by spaces); IIS by spaces.
    const values = text.includes('\t') ? text.split('\t') : text.trim().split(/ +/);
    if (values.length !== this.fields.length) {
      return { problem: `expected ${this.fields.length} fields, as the #Fields line above names, found ${values.length}` };
    }
    const record: ClfRecord = {};
    this.fields.forEach((name, k) => {
      const value = values[k] ?? '';
      record[name] = value === '-' || value === '' ? null : value;
    });
    return { record: withIpUserAgent(record, 'c-ip', 'cs(User-Agent)') };
  }
}

function withIpUserAgent(record: ClfRecord, ipField: string, agentField: string): ClfRecord {
  if (!Object.hasOwn(record, ipField) || !Object.hasOwn(record, agentField)) return record;
  const ip = record[ipField] ?? null;
  record[IP_USER_AGENT] = ip === null ? null : `${ip} ${record[agentField] ?? '-'}`;
  return record;
}

/**
 * The mapping a log's columns call for: the client IP as the user, the request's time (the
 * date and time columns of a W3C log, in UTC) and its path; null when they are not all there.
 */
export function weblogMapping(columns: readonly string[]): ColumnMapping | null {
  const has = (c: string) => columns.includes(c);
  if (has('client_ip') && has('time')) return { user: 'client_ip', timestamp: 'time', time: '', url: has('path') ? 'path' : '', format: 'clf' };
  if (has('c-ip') && has('date') && has('time')) {
    const url = ['cs-uri-stem', 'cs-uri'].find(has) ?? '';
    return { user: 'c-ip', timestamp: 'date', time: 'time', url, format: 'iso' };
  }
  return null;
}

/** The page's note on a log it recognised: the format and the mapping chosen for it. */
export function weblogNote(format: WeblogFormat, mapping: ColumnMapping | null, columns: readonly string[]): string {
  const read = `Read as ${WEBLOG_FORMAT_NAMES[format]}, into named columns.`;
  if (!mapping) return `${read} Its client IP or time columns are missing: choose the columns under Columns.`;
  const when = mapping.time ? `"${mapping.timestamp}" and "${mapping.time}" (UTC)` : `"${mapping.timestamp}"`;
  const agent = columns.includes(IP_USER_AGENT)
    ? ` To tell apart people behind one address by their browser, choose "${IP_USER_AGENT}" (IP and user agent) as the user id.`
    : '';
  return `${read} Each client IP ("${mapping.user}") is a user, the time is ${when}${mapping.url ? `, the url is "${mapping.url}"` : ''}.${agent}`;
}

/** The first records of a log, for display (malformed lines left out: the full read lists them). */
export function previewWeblog(text: string, format: WeblogFormat, maxRows = 10): { header: string[]; rows: string[][] } | null {
  const reader = new WeblogReader(format);
  const records: ClfRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  // The last line of a head may be cut off.
  for (const line of lines.slice(0, -1)) {
    if (records.length >= maxRows) break;
    const read = reader.line(line.replace(/\r$/, ''));
    if ('record' in read) records.push(read.record);
  }
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  if (header.length === 0) return null;
  return { header, rows: records.map((r) => header.map((h) => r[h] ?? '')) };
}
