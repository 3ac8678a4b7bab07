import { memo } from 'react';
/**
 * Why a panel that needs DuckDB's tables (exports, timelines, lateness) cannot work for the
 * dataset shown, while its figures stay (they come from the page's own reading).
 */
export const TablesProblem = memo(function TablesProblem({ problem }: { problem: string | null }) {
  if (problem === null) return null;
  return (
    <p role="alert" className="error" data-testid="tables-problem">
      {problem}
    </p>
  );
});
