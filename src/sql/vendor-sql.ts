import { SEGMENT_USER_COLUMN } from '../domain/vendor-shapes';
import { quoteIdent } from './quote';

/*
 * Columns the reader adds to a product's export where the product's user is not one column
 * of the file (see vendor-shapes.ts). Added in place: the rows keep their order (rowid).
 */

/** Segment's user: userId, or anonymousId where userId is empty or only spaces. */
export function addSegmentUserColumnSql(rawTable: string): string {
  const table = quoteIdent(rawTable);
  const column = quoteIdent(SEGMENT_USER_COLUMN);
  const userId = quoteIdent('userId');
  return `ALTER TABLE ${table} ADD COLUMN ${column} VARCHAR;
UPDATE ${table} SET ${column} = CASE WHEN trim(coalesce(${userId}, '')) <> '' THEN ${userId} ELSE ${quoteIdent('anonymousId')} END`;
}
