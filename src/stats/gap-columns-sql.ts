/** Still imported from here by src/state (the store rewrite imports them from src/sql/gap-columns-sql.ts). */
export { gapColumnsSql, rawColumnSql, urlColumnSql } from '../sql/gap-columns-sql';
