import { readBytes } from '../domain/csv-records';
import { previewDelimited } from '../domain/preview';
import { previewJson } from '../ingest/json-preview';
import { sniffFile, SNIFF_BYTES } from '../domain/sniff-file';
import { previewWeblog } from '../domain/weblog';
import type { FileSource } from './raw-table';
import type { Preview } from './types';

/** Reads the first chunk of a file and previews it; null where there is nothing to show. */
export async function previewOf(source: FileSource): Promise<Preview | null> {
  const head = await readBytes(source.data, 0, SNIFF_BYTES);
  const sniff = sniffFile(source.name, head, source.size);
  if (!sniff.ok || sniff.kind === 'parquet') return null;
  if (sniff.kind === 'ndjson') {
    const table = await previewJson(head);
    return table ? { fileName: source.name, ...table } : null;
  }
  const text = new TextDecoder(sniff.encoding).decode(head);
  const complete = head.length >= source.size;
  const table = sniff.weblog ? previewWeblog(complete ? `${text}\n` : text, sniff.weblog) : previewDelimited(text, 10, complete);
  return table ? { fileName: source.name, ...table } : null;
}
