import { memo, useEffect, useState } from 'react';
import type { AppStore, LanesSettings, LanesView } from '../state/app-store';
import { TimelineLanes } from '../charts/TimelineLanes';
import { CommitNumberInput } from './CommitNumberInput';

interface LanesPanelProps {
  store: AppStore;
  /** The lane settings the controls show (null: lanes hidden). */
  settings: LanesSettings | null;
  view: LanesView | null;
  /** The IANA zone times are shown in. */
  displayTimeZone: string;
  loading: boolean;
}

const MODES: { value: LanesSettings['mode']; label: string }[] = [
  { value: 'top', label: 'the most active users' },
  { value: 'sample', label: 'a random sample of users' },
  { value: 'prefix', label: 'users whose id starts with' },
];

/** Many users' sessions at once: which users, and their lanes. */
export const LanesPanel = memo(function LanesPanel({ store, settings, view, displayTimeZone, loading }: LanesPanelProps) {
  const [prefix, setPrefix] = useState(settings?.prefix ?? '');
  useEffect(() => setPrefix(settings?.prefix ?? ''), [settings?.prefix]);
  const set = (patch: Partial<LanesSettings>) => settings && store.setLanes({ ...settings, ...patch });
  const whole = (text: string, what: string, apply: (n: number) => void) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 1) {
      store.reportError(`${what} not changed: "${text}" is not a whole number of 1 or more.`);
      return;
    }
    apply(n);
  };
  return (
    <section className="lanes-panel" aria-label="Many users at once">
      <h2>Many users at once</h2>
      <div className="lanes-controls">
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="lanes-shown"
            checked={settings !== null}
            onChange={(e) => store.setLanes(e.currentTarget.checked ? { mode: 'top', count: 20, seed: 1, prefix: '' } : null)}
          />
          <span>Show lanes</span>
        </label>
        {settings && (
          <>
            <label>
              <span>Lanes for</span>
              <select data-testid="lanes-mode" value={settings.mode} onChange={(e) => set({ mode: e.currentTarget.value as LanesSettings['mode'] })}>
                {MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            {settings.mode === 'prefix' && (
              <label>
                <span>Id prefix</span>
                <input
                  data-testid="lanes-prefix"
                  value={prefix}
                  spellCheck={false}
                  onChange={(e) => setPrefix(e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') set({ prefix });
                  }}
                  onBlur={() => set({ prefix })}
                />
              </label>
            )}
            <CommitNumberInput
              testId="lanes-count"
              label="Users"
              value={settings.count}
              min={1}
              step="1"
              onCommit={(t) => whole(t, 'The number of lanes', (count) => set({ count }))}
            />
            {settings.mode === 'sample' && (
              <CommitNumberInput
                testId="lanes-seed"
                label="Sample seed"
                value={settings.seed}
                min={1}
                step="1"
                onCommit={(t) => whole(t, 'The sample seed', (seed) => set({ seed }))}
              />
            )}
          </>
        )}
      </div>
      {settings && view && (
        <TimelineLanes
          lanes={view.lanes}
          maxBars={view.maxBars}
          timeZone={displayTimeZone}
          loading={loading}
          onOpen={(userId, n) => store.selectUser(userId, n)}
        />
      )}
      {settings && !view && (
        <p className="hint" data-testid="lanes-pending">
          Finding the users and their sessions… (for a file the page read itself, once DuckDB has read it too)
        </p>
      )}
    </section>
  );
});
