import { memo, useEffect, useState } from 'react';
import type { SessionFilter } from '../domain/session-list';

/*
 * The session list's filters. Text is applied a moment after the last keystroke (each
 * change re-filters and re-sorts every session in the worker); an entry that is not a
 * number of zero or more is marked invalid and leaves that bound off.
 */

interface Fields {
  user: string;
  entry: string;
  exit: string;
  minEvents: string;
  maxEvents: string;
  minMinutes: string;
  maxMinutes: string;
}

const EMPTY: Fields = { user: '', entry: '', exit: '', minEvents: '', maxEvents: '', minMinutes: '', maxMinutes: '' };

/** null for an empty box; NaN for text that is not a number of zero or more. */
function bound(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : Number.NaN;
}

const valid = (n: number | null) => (n === null || Number.isNaN(n) ? null : n);

function filterOf(f: Fields): SessionFilter {
  const minMinutes = valid(bound(f.minMinutes));
  const maxMinutes = valid(bound(f.maxMinutes));
  return {
    userPrefix: f.user,
    entryPage: f.entry,
    exitPage: f.exit,
    minEvents: valid(bound(f.minEvents)),
    maxEvents: valid(bound(f.maxEvents)),
    minDurationSeconds: minMinutes === null ? null : minMinutes * 60,
    maxDurationSeconds: maxMinutes === null ? null : maxMinutes * 60,
  };
}

const TEXT: [keyof Fields, string, string][] = [
  ['user', 'User id starts with', 'session-filter-user'],
  ['entry', 'Entry page contains', 'session-filter-entry'],
  ['exit', 'Exit page contains', 'session-filter-exit'],
];
const NUMBERS: [keyof Fields, string, string][] = [
  ['minEvents', 'Events from', 'session-filter-min-events'],
  ['maxEvents', 'to', 'session-filter-max-events'],
  ['minMinutes', 'Duration from (min)', 'session-filter-min-duration'],
  ['maxMinutes', 'to (min)', 'session-filter-max-duration'],
];

export const SessionFilters = memo(function SessionFilters({ onChange }: { onChange: (filter: SessionFilter) => void }) {
  const [fields, setFields] = useState<Fields>(EMPTY);
  useEffect(() => {
    const timer = setTimeout(() => onChange(filterOf(fields)), 150);
    return () => clearTimeout(timer);
  }, [fields, onChange]);
  const set = (name: keyof Fields, value: string) => setFields((f) => ({ ...f, [name]: value }));
  return (
    <fieldset className="session-filters">
      <legend>Filter sessions</legend>
      {TEXT.map(([name, label, testId]) => (
        <label key={name}>
          <span>{label}</span>
          <input data-testid={testId} type="text" spellCheck={false} value={fields[name]} onChange={(e) => set(name, e.currentTarget.value)} />
        </label>
      ))}
      {NUMBERS.map(([name, label, testId]) => (
        <label key={name}>
          <span>{label}</span>
          <input
            data-testid={testId}
            type="number"
            min={0}
            step="any"
            value={fields[name]}
            aria-invalid={Number.isNaN(bound(fields[name]))}
            onChange={(e) => set(name, e.currentTarget.value)}
          />
        </label>
      ))}
      <button type="button" data-testid="session-filter-clear" onClick={() => setFields(EMPTY)} disabled={Object.values(fields).every((v) => v === '')}>
        Clear
      </button>
    </fieldset>
  );
});
