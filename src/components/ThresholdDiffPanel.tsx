import { memo, useEffect, useState } from 'react';
import type { AppStore, ComparablePreset, SessionDiffView } from '../state/app-store';
import { PRESETS } from '../domain/presets';
import { formatCount, formatMinutes } from '../domain/format';
import { CommitNumberInput } from './CommitNumberInput';

interface ThresholdDiffPanelProps {
  store: AppStore;
  gapMinutes: number;
  compareGapMinutes: number | null;
  comparePreset: ComparablePreset | null;
  /** The comparison for the settings on screen (null while off or computing). */
  view: SessionDiffView | null;
  loading: boolean;
}

/** What a second threshold, or a product's settings, would change: sessions, merges, and the users whose sessions differ. */
export const ThresholdDiffPanel = memo(function ThresholdDiffPanel({
  store,
  gapMinutes,
  compareGapMinutes,
  comparePreset,
  view,
  loading,
}: ThresholdDiffPanelProps) {
  const [ids, setIds] = useState<{ key: string; byRow: Map<number, string> } | null>(null);
  useEffect(() => {
    if (!view) return;
    let current = true;
    void store.queries.usersOfRows(view.diff.changedUsers.map((u) => u.row)).then((byRow) => {
      if (current) setIds({ key: view.key, byRow });
    });
    return () => {
      current = false;
    };
  }, [store, view]);

  const commitGap = (text: string) => {
    if (text.trim() === '') return store.setCompareGapMinutes(null);
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) {
      store.reportError(`The compared threshold was not changed: "${text}" is not a number of minutes above zero. Leave it empty to compare nothing.`);
      return;
    }
    store.setCompareGapMinutes(n);
  };
  const against = view?.against;
  const nameB = against?.kind === 'preset' ? `${against.label} (${formatMinutes(against.gapMinutes)})` : against ? formatMinutes(against.gapMinutes) : '';
  const byRow = ids?.key === view?.key ? ids?.byRow : undefined;

  return (
    <section className="threshold-diff-panel" aria-label="Compare with a second threshold">
      <h2>What a second threshold changes</h2>
      <div className="diff-controls">
        <CommitNumberInput
          testId="compare-gap-minutes"
          label="Compare with (minutes)"
          value={compareGapMinutes}
          min={0}
          placeholder="off"
          onCommit={commitGap}
        />
        <label>
          <span>or with a product's settings</span>
          <select
            data-testid="compare-preset"
            value={comparePreset ?? ''}
            onChange={(e) => store.setComparePreset(e.currentTarget.value === '' ? null : (e.currentTarget.value as ComparablePreset))}
          >
            <option value="">none</option>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {view && against && (
        <div
          data-testid="threshold-diff"
          data-sessions-a={String(view.diff.sessionsA)}
          data-sessions-b={String(view.diff.sessionsB)}
          data-merged={String(view.merged)}
          data-only-a={String(view.diff.onlyA)}
          data-only-b={String(view.diff.onlyB)}
          data-users-changed={String(view.diff.usersChanged)}
          aria-busy={loading}
        >
          <table className="data-table">
            <caption>
              The current settings ({formatMinutes(gapMinutes)}, rules as set) against {nameB}
              {against.kind === 'gap' ? ' with the same rules' : ''}.
            </caption>
            <tbody>
              <tr>
                <th scope="row">Sessions now</th>
                <td>{formatCount(view.diff.sessionsA)}</td>
              </tr>
              <tr>
                <th scope="row">Sessions at {nameB}</th>
                <td>{formatCount(view.diff.sessionsB)}</td>
              </tr>
              <tr>
                <th scope="row">Sessions of the lower threshold not kept whole by the higher (merged)</th>
                <td>{formatCount(view.merged)}</td>
              </tr>
              <tr>
                <th scope="row">Sessions only now / only at {nameB}</th>
                <td>
                  {formatCount(view.diff.onlyA)} / {formatCount(view.diff.onlyB)}
                </td>
              </tr>
              <tr>
                <th scope="row">Users whose sessions change</th>
                <td>{formatCount(view.diff.usersChanged)}</td>
              </tr>
            </tbody>
          </table>
          {view.diff.changedUsers.length > 0 && (
            <div className="changed-users">
              <span className="hint">
                {view.diff.usersChanged > view.diff.changedUsers.length
                  ? `The first ${formatCount(view.diff.changedUsers.length)} changed users`
                  : 'Changed users'}{' '}
                (sessions now → at {nameB}); click one to open their timeline:
              </span>
              <ul data-testid="changed-users">
                {view.diff.changedUsers.map((u) => {
                  const id = byRow?.get(u.row);
                  return (
                    <li key={u.row}>
                      <button
                        type="button"
                        className="link-button"
                        data-user={id ?? ''}
                        disabled={id === undefined}
                        onClick={() => id !== undefined && store.selectUser(id)}
                      >
                        {id ?? `row ${u.row}…`} ({u.sessionsA} → {u.sessionsB})
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
});
