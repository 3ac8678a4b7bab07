import Papa from 'papaparse';

export interface PreviewTable {
  header: string[];
  rows: string[][];
}

/**
 * The first rows of a delimited file, parsed by papaparse from its first chunk alone, so
 * the page can show them at once while DuckDB reads the whole file. A cut-off last line
 * is dropped. Only for display: DuckDB's reading is the one that counts.
 */
export function previewDelimited(text: string, maxRows = 10, complete = false): PreviewTable | null {
  const body = complete ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  const parsed = Papa.parse<string[]>(body.replace(/^\uFEFF/, ''), { preview: maxRows + 1, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0) return null;
  return { header, rows };
}

/** The first rows of an NDJSON file, for display. */
export function previewNdjson(text: string, maxRows = 10): PreviewTable | null {
  const header: string[] = [];
  const records: Record<string, unknown>[] = [];
  for (const line of text.split('\n').slice(0, maxRows * 2)) {
    if (records.length >= maxRows || line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        records.push(value as Record<string, unknown>);
        for (const key of Object.keys(value)) if (!header.includes(key)) header.push(key);
      }
    } catch {
      // A line cut off by the chunk end or a malformed one: the full read reports it.
    }
  }
  if (header.length === 0) return null;
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return { header, rows: records.map((r) => header.map((h) => cell(r[h]))) };
}
