import type { Engine } from '../engine/engine';
import { SEGMENT_USER_COLUMN } from '../domain/vendor-shapes';
import { addSegmentUserColumnSql } from '../sql/vendor-sql';

/**
 * A JSON file's columns once the columns a product's export needs are added: for Segment
 * (anonymousId, userId and messageId present) the user column that falls back from userId
 * to anonymousId. Other files keep their columns.
 */
export async function withVendorColumns(engine: Engine, table: string, columns: string[]): Promise<string[]> {
  const folded = new Set(columns.map((c) => c.toLowerCase()));
  const segment = ['userId', 'anonymousId', 'messageId'].every((c) => columns.includes(c));
  if (!segment || folded.has(SEGMENT_USER_COLUMN.toLowerCase())) return columns;
  await engine.exec(addSegmentUserColumnSql(table));
  return [...columns, SEGMENT_USER_COLUMN];
}
