import type { PreviewTable } from '../domain/preview';
import { jsonBatches } from './json-batches';

/**
 * The first records of a JSON file's first bytes as the reader will read them: flattened to
 * the same columns, arrays and pretty-printed files included; records cut off by the end of
 * the bytes, or set aside, are left out. Null when no record is read.
 */
export async function previewJson(head: Uint8Array, maxRows = 10): Promise<PreviewTable | null> {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield head;
  }
  try {
    for await (const batch of jsonBatches(once(), { batchRows: maxRows })) {
      if (batch.rows === 0) continue;
      const rows = Array.from({ length: Math.min(maxRows, batch.rows) }, (_, r) => batch.cells.map((column) => column[r] ?? ''));
      return { header: batch.columns, rows };
    }
  } catch {
    // Past a cap within the first bytes: the full read says so.
  }
  return null;
}
