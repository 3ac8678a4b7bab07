/*
 * One JSON record (an NDJSON line, an element of a top-level array) into flat text cells:
 * nested objects become dotted paths (`properties.distinct_id`), arrays stay JSON text.
 * Keys are kept in a Map, never as properties of an object, so `__proto__` or `constructor`
 * are ordinary column names. Records nested deeper than MAX_JSON_DEPTH are refused before
 * anything recursive touches them (JSON.stringify of 20,000 levels overflows the stack).
 */

/** Levels of nesting a record may have (the record itself is level 1). */
export const MAX_JSON_DEPTH = 64;

export type FlatRecord = Map<string, string | null>;

export type ParsedRecord = { ok: true; cells: FlatRecord } | { ok: false; message: string };

/** Integers longer than this many digits lose digits as JS numbers: they are read as their text. */
const LONG_DIGITS = /\d{16,}/;
/** A string token, or a number token (outside strings, as the alternation takes strings whole). */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LONG_INTEGER = /^-?\d{16,}$/;

function parse(text: string): unknown {
  if (LONG_DIGITS.test(text)) {
    // An id such as 12345678901234567890 keeps its digits: long integers are read as strings.
    try {
      return JSON.parse(text.replace(TOKENS, (token) => (LONG_INTEGER.test(token) ? `"${token}"` : token)));
    } catch {
      // Not valid JSON either way: JSON.parse below says why.
    }
  }
  return JSON.parse(text);
}

/** True when the value nests deeper than `limit` levels; recursion stops one level past the limit. */
export function nestsDeeperThan(value: unknown, limit: number, depth = 1): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (child !== null && typeof child === 'object' && nestsDeeperThan(child, limit, depth + 1)) return true;
    return false;
  }
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object' && nestsDeeperThan(child, limit, depth + 1)) return true;
  }
  return false;
}

/** A scalar as the text a CSV cell would hold; arrays (and empty objects) as JSON text. */
function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Adds the object's leaves to `cells` under their dotted paths; false (and `cells` partly
 * filled) when it nests deeper than `limit`, counting the object itself at `depth`.
 */
function flattenInto(cells: FlatRecord, prefix: string, object: Record<string, unknown>, depth: number, limit: number): boolean {
  if (depth > limit) return false;
  // Own keys only (never for…in, which would walk inherited ones).
  for (const key of Object.keys(object)) {
    const value = object[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      if (!flattenInto(cells, path, value as Record<string, unknown>, depth + 1, limit)) return false;
    } else {
      if (Array.isArray(value) && nestsDeeperThan(value, limit, depth + 1)) return false;
      // A literal dotted key and a nested path can name the same column: the later one wins.
      cells.set(path, cell(value));
    }
  }
  return true;
}

/** Parses one record's text: an object, flattened, or why it is not read. */
export function parseRecord(text: string, maxDepth = MAX_JSON_DEPTH): ParsedRecord {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, message: `expected a JSON object, found ${what}` };
  }
  const cells: FlatRecord = new Map();
  if (!flattenInto(cells, '', value as Record<string, unknown>, 1, maxDepth)) {
    return { ok: false, message: `nested more than ${maxDepth} levels deep; at most ${maxDepth} are read` };
  }
  return { ok: true, cells };
}
