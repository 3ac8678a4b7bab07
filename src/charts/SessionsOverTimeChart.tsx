import { memo, useMemo } from 'react';
import type { SessionsOverTimeRow, TimeBinUnit } from '../domain/session-list';
import { formatCount } from '../domain/format';
import { PALETTE } from './chart-common';
import { CountBars, type CountBar } from './CountBars';

/*
 * Sessions started per local day or hour, as bars, and the same numbers as a table (its
 * rows carry data-day and data-sessions). The bins arrive counted: a chart of a few hundred
 * bars at most for days, a few hundred for hours. Drawn as HTML boxes (CountBars), not
 * recharts: its bins change with every threshold, and recharts rendered twice per change
 * and measured its tick labels in the page (~20 ms of main thread per change at 1M).
 */

export interface SessionsOverTimeChartProps {
  rows: readonly SessionsOverTimeRow[];
  unit: TimeBinUnit;
  timeZone: string;
}

/** Label steps, in bins: whole days and weeks, or hours that divide a day. */
const STEPS: Record<TimeBinUnit, readonly number[]> = { day: [1, 2, 7, 14, 28, 56, 91, 182, 364], hour: [1, 2, 3, 6, 12, 24, 48, 168, 336] };
/** Labels along the axis at most (each a few characters wide, so they fit a phone's width too). */
const MAX_LABELS: Record<TimeBinUnit, number> = { day: 7, hour: 5 };

const binLabel = (bin: string, unit: TimeBinUnit) => (unit === 'day' ? bin.slice(5) : `${bin.slice(5, 10)} ${bin.slice(11)}h`);

/** Every step-th bin's label, from the first bin, with the smallest step that keeps them few. */
export function binTicks(rows: readonly SessionsOverTimeRow[], unit: TimeBinUnit): { position: number; label: string }[] {
  const steps = STEPS[unit];
  const step = steps.find((s) => Math.ceil(rows.length / s) <= MAX_LABELS[unit]) ?? Math.ceil(rows.length / MAX_LABELS[unit]);
  const ticks: { position: number; label: string }[] = [];
  for (let i = 0; i < rows.length; i += step) ticks.push({ position: i, label: binLabel((rows[i] as SessionsOverTimeRow).bin, unit) });
  return ticks;
}

export const SessionsOverTimeChart = memo(function SessionsOverTimeChart({ rows, unit, timeZone }: SessionsOverTimeChartProps) {
  const label = unit === 'day' ? 'Day' : 'Hour';
  const bars = useMemo<CountBar[]>(
    () => rows.map((r, i) => ({ key: i, label: r.bin, detail: unit === 'day' ? r.bin : `${r.bin.replace('T', ' ')}:00`, count: r.sessions })),
    [rows, unit],
  );
  const ticks = useMemo(() => binTicks(rows, unit), [rows, unit]);
  return (
    <>
      <div role="img" aria-label={`Sessions started per ${unit} in ${timeZone}; the numbers are in the table below.`}>
        <CountBars bars={bars} color={PALETTE.within} height={220} ticks={ticks} />
      </div>
      <details className="bins-table">
        <summary>The numbers as a table</summary>
        <table>
          <caption>
            Sessions started per {unit} ({timeZone})
          </caption>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col">Sessions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.bin} data-day={r.bin} data-sessions={r.sessions}>
                <td>{unit === 'day' ? r.bin : `${r.bin.replace('T', ' ')}:00`}</td>
                <td>{formatCount(r.sessions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
});
