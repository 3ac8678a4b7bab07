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
