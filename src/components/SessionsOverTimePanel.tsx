import { memo, useState } from 'react';
import { sessionsOverTimeKey } from '../state/app-store';
import type { TimeBinChoice } from '../domain/session-list';
import { ChartFrame } from '../charts/chart-common';
import { SessionsOverTimeChart } from '../charts/SessionsOverTimeChart';
import { useLatestAnswer } from './useLatestAnswer';
import type { SessionViewProps } from './SessionListPanel';

const CHOICES: [TimeBinChoice, string][] = [
  ['auto', 'Auto (hours under 3 days)'],
  ['day', 'Per day'],
  ['hour', 'Per hour'],
];

/** Sessions started per local day or hour of the display zone, counted in the stats worker. */
export const SessionsOverTimePanel = memo(function SessionsOverTimePanel({
  store,
  eventsTable,
  gapMinutes,
  rules,
  userFilters,
  timeZone,
  figuresShown,
}: SessionViewProps) {
  const [bins, setBins] = useState<TimeBinChoice>('auto');
  const key = sessionsOverTimeKey(eventsTable, { gapMinutes, rules, userFilters }, timeZone, bins);
  const answer = useLatestAnswer(key, () => store.queries.sessionsOverTime(bins), figuresShown ? key : null);
  const result = answer?.ok ? answer.value : null;
  const state = answer === null || answer.key !== key ? 'loading' : answer.ok ? 'ready' : 'error';
  const unit = result?.unit ?? 'day';
  const refused = result?.hoursRefused ? ' The sessions span more than 31 days: shown per day, not per hour.' : '';
  return (
    <ChartFrame
      testId="sessions-over-time"
      title="Sessions over time"
      summary={`Sessions started per ${unit} in ${result?.timeZone ?? timeZone}, at this threshold and these rules (local days across a DST change have 23 or 25 hours).${refused}`}
      loading={state === 'loading'}
      empty={answer && !answer.ok ? `Sessions over time could not be counted: ${answer.message}` : result && result.rows.length === 0 ? 'No sessions.' : null}
      data={{ 'data-state': state, 'data-unit': unit, 'data-timezone': result?.timeZone ?? timeZone }}
      controls={
        <label>
          <span>Bins </span>
          <select data-testid="sessions-over-time-bins" value={bins} onChange={(e) => setBins(e.currentTarget.value as TimeBinChoice)}>
            {CHOICES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {result && <SessionsOverTimeChart rows={result.rows} unit={result.unit} timeZone={result.timeZone} />}
    </ChartFrame>
  );
});
