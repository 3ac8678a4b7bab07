import type { Dataset } from '../state/app-store';
import { betterUserColumn, SKIPPED_USER_WARN_SHARE } from '../domain/column-evidence';
import { formatCount, formatShare } from '../domain/format';

/**
 * Said next to the user column when it leaves many rows without a user (they are skipped),
 * with the better-filled column to use instead when there is one.
 */
export function SkippedUserWarning({ dataset, onUse }: { dataset: Dataset; onUse: (column: string) => void }) {
  const { figures, skippedByReason, mapping } = dataset.events;
  const noUser = skippedByReason.find((r) => r.reason === 'missing user id')?.count ?? 0;
  const share = figures.rowsRead > 0 ? noUser / figures.rowsRead : 0;
  if (share <= SKIPPED_USER_WARN_SHARE) return null;
  const better = betterUserColumn(dataset.profiles, mapping);
  return (
    <div className="mapping-warning" role="alert" data-testid="mapping-warning" data-share={share.toFixed(4)}>
      <strong>
        {formatShare(share)} of the rows ({formatCount(noUser)} of {formatCount(figures.rowsRead)}) have no value in {mapping.user}
      </strong>{' '}
      and are skipped.{' '}
      {better ? (
        <>
          {better.column} is {Math.round(better.filled * 100)}% filled ({formatCount(better.distinct)} distinct in the first {formatCount(better.sampleRows)}{' '}
          rows).{' '}
          <button type="button" data-testid="use-better-user" onClick={() => onUse(better.column)}>
            Use {better.column}
          </button>
        </>
      ) : (
        'Choose another user column if one is fuller.'
      )}
    </div>
  );
}
