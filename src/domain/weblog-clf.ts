/*
 * One line of an Apache/Nginx access log in the common or combined format, into named
 * fields:
 *   common    %h %l %u %t "%r" %>s %b
 *   combined  %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"
 * Fields are separated by spaces; the time is in [brackets]; the request, referrer and user
 * agent are in quotes, where Apache writes `\"` for a quote and `\\` for a backslash and
 * Nginx `\x22` (and `\xHH` for any byte outside printable ASCII). `-` is a missing value.
 */

export type ClfFormat = 'common' | 'combined';

/** The columns of a log line, in order; combined adds the last two. `extra` holds fields past them. */
export const CLF_COLUMNS = ['client_ip', 'ident', 'auth_user', 'time', 'request', 'method', 'path', 'protocol', 'status', 'bytes'] as const;
export const CLF_EXTRA_COLUMN = 'extra';

type Token = { kind: 'bare' | 'bracket' | 'quoted'; text: string };

export type ClfRecord = Record<string, string | null>;

/** The line's fields, or what keeps it from being a log line. */
export function clfTokens(line: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) return tokens;
    const c = line[i];
    if (c === '[') {
      const end = line.indexOf(']', i + 1);
      if (end < 0) return 'its [time] has no closing bracket';
      tokens.push({ kind: 'bracket', text: line.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      // A quote closes the field where a space or the line's end follows it; Apache before
      // 2.0.46 wrote quotes inside fields unescaped, and those are kept as part of the text.
      let j = i + 1;
      let end = -1;
      while (j < n) {
        const d = line[j];
        if (d === '\\') j += 2;
        else if (d === '"' && (j + 1 === n || line[j + 1] === ' ' || line[j + 1] === '\t')) {
          end = j;
          break;
        } else j++;
      }
      if (end < 0) return `its quoted field ${tokens.length + 1} has no closing quote`;
      tokens.push({ kind: 'quoted', text: unescapeLogText(line.slice(i + 1, end)) });
      i = end + 1;
    } else {
      let j = i;
      while (j < n && line[j] !== ' ' && line[j] !== '\t') j++;
      tokens.push({ kind: 'bare', text: line.slice(i, j) });
      i = j;
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

/** `\"`, `\\`, `\n`, `\t`, `\r` and runs of `\xHH` (bytes, read as UTF-8 where they are) as the text they stand for. */
export function unescapeLogText(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/((?:\\x[0-9A-Fa-f]{2})+)|\\(.)/g, (match, hex: string | undefined, char: string | undefined) => {
    if (hex) {
      const bytes = new Uint8Array(hex.length / 4);
      for (let k = 0; k < bytes.length; k++) bytes[k] = Number.parseInt(hex.slice(k * 4 + 2, k * 4 + 4), 16);
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return match;
      }
    }
    return ESCAPES[char ?? ''] ?? match;
  });
}

const missing = (text: string): string | null => (text === '-' || text === '' ? null : text);

/** The request line split into method, path and protocol ("GET /a?b=1 HTTP/1.1"). */
export function splitRequest(request: string | null): { method: string | null; path: string | null; protocol: string | null } {
  if (request === null) return { method: null, path: null, protocol: null };
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  // The usual "GET /path HTTP/1.1", without splitting.
  if (first > 0 && last > first + 1 && request.startsWith('HTTP/', last + 1) && request[first + 1] !== ' ' && request[last - 1] !== ' ') {
    return { method: request.slice(0, first), path: request.slice(first + 1, last), protocol: request.slice(last + 1) };
  }
  const parts = request.split(' ').filter((p) => p !== '');
  if (parts.length === 2) return { method: parts[0] ?? null, path: parts[1] ?? null, protocol: null };
  if (parts.length >= 3 && /^HTTP\//i.test(parts[parts.length - 1] ?? '')) {
    return { method: parts[0] ?? null, path: parts.slice(1, -1).join(' '), protocol: parts[parts.length - 1] ?? null };
  }
  // Not a request line (a scanner's bytes, "-"): kept whole in `request`.
  return { method: null, path: null, protocol: null };
}

const FIELD_NAMES = [
  'the client IP',
  'the identity',
  'the user',
  'the [time]',
  'the "request"',
  'the status',
  'the bytes',
  'the "referrer"',
  'the "user agent"',
];

/** The shape each field must have: combined adds the two quoted ones. */
const SHAPE: Token['kind'][] = ['bare', 'bare', 'bare', 'bracket', 'quoted', 'bare', 'bare', 'quoted', 'quoted'];

/** How many fields a line of the format has, at least. */
export const CLF_FIELDS: Record<ClfFormat, number> = { common: 7, combined: 9 };

/** The format a line has by its shape alone (null: neither). */
export function clfShape(tokens: readonly Token[]): ClfFormat | null {
  const fits = (count: number) =>
    tokens.length >= count && SHAPE.slice(0, count).every((kind, k) => tokens[k]?.kind === kind) && /^(\d{3}|-)$/.test(tokens[5]?.text ?? '');
  if (fits(9)) return 'combined';
  if (fits(7) && tokens.length === 7) return 'common';
  return null;
}

// Unrolled ("a run of plain characters, then escape + run, …"): V8 runs it far faster than an alternation per character.
const QUOTED = String.raw`"([^"\\]*(?:\\.[^"\\]*)*)"`;
const HEAD = String.raw`^(\S+) (\S+) (\S+) \[([^\]]*)\] ${QUOTED} (\d{3}|-) (\d+|-)`;
/** A well-formed line of each format, read in one match (the tokenizer below takes twice as long). */
const WELL_FORMED: Record<ClfFormat, RegExp> = {
  common: new RegExp(`${HEAD}$`),
  combined: new RegExp(`${HEAD} ${QUOTED} ${QUOTED}$`),
};

/** The record of a line's field texts (quoted ones unescaped), in the order of the format. */
function clfRecord(texts: readonly string[], format: ClfFormat): ClfRecord {
  const at = (k: number) => missing(texts[k] ?? '-');
  const request = at(4);
  const record: ClfRecord = { client_ip: at(0), ident: at(1), auth_user: at(2), time: at(3), request, ...splitRequest(request), status: at(5), bytes: at(6) };
  if (format === 'combined') {
    record.referrer = at(7);
    record.user_agent = at(8);
  }
  return record;
}

/** A line of a log in `format` as its named fields, or why it is not one. */
export function parseClfLine(line: string, format: ClfFormat): ClfRecord | string {
  const match = WELL_FORMED[format].exec(line);
  if (match)
    return clfRecord(
      match.slice(1).map((v, k) => (k === 4 || k > 6 ? unescapeLogText(v) : v)),
      format,
    );
  const tokens = clfTokens(line);
  if (typeof tokens === 'string') return tokens;
  const count = CLF_FIELDS[format];
  const expected = `${count} fields (${FIELD_NAMES.slice(0, count).join(', ')})`;
  // A field of the wrong kind says more than a count: check the kinds first.
  for (let k = 0; k < Math.min(count, tokens.length); k++) {
    const token = tokens[k] as Token;
    const kind = SHAPE[k];
    if (token.kind !== kind) {
      const how = kind === 'bracket' ? 'in [brackets]' : kind === 'quoted' ? 'in "quotes"' : 'without quotes or brackets';
      return `field ${k + 1} should be ${FIELD_NAMES[k]} ${how}`;
    }
  }
  if (tokens.length < count) return `expected ${expected} of a ${format}-format log line, found ${tokens.length}`;
  if (format === 'common' && tokens.length > count) return `expected ${expected} of a common-format log line, found ${tokens.length}`;
  const text = (k: number) => (tokens[k] as Token).text;
  if (!/^(\d{3}|-)$/.test(text(5))) return `the status should be a three-digit number, found "${text(5).slice(0, 40)}"`;
  if (!/^(\d+|-)$/.test(text(6))) return `the bytes should be a number or -, found "${text(6).slice(0, 40)}"`;
  const record = clfRecord(
    tokens.map((t) => t.text),
    format,
  );
  if (format === 'combined' && tokens.length > count) {
    record[CLF_EXTRA_COLUMN] = tokens
      .slice(count)
      .map((t) => (t.kind === 'quoted' ? `"${t.text}"` : t.text))
      .join(' ');
  }
  return record;
}
