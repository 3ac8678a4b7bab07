import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { SessionsOverTimeRow, TimeBinUnit } from '../domain/session-list';
import { formatCount } from '../domain/format';
import { CURSOR_FILL, PALETTE, TOOLTIP_STYLE, tooltipDatum } from './chart-common';

/*
 * Sessions started per local day or hour, as bars, and the same numbers as a table (its
 * rows carry data-day and data-sessions). The bins arrive counted: a chart of a few hundred
 * bars at most for days, a few hundred for hours.
 */

export interface SessionsOverTimeChartProps {
  rows: readonly SessionsOverTimeRow[];
  unit: TimeBinUnit;
  timeZone: string;
}

function BinTooltip(props: TooltipContentProps) {
  const row = tooltipDatum<SessionsOverTimeRow>(props);
  if (!row) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <div>
        {row.bin.replace('T', ' ')}
        {row.bin.includes('T') ? ':00' : ''}
      </div>
      <div>
        <strong>{formatCount(row.sessions)}</strong> sessions started
      </div>
    </div>
  );
}

export const SessionsOverTimeChart = memo(function SessionsOverTimeChart({ rows, unit, timeZone }: SessionsOverTimeChartProps) {
  const label = unit === 'day' ? 'Day' : 'Hour';
  return (
    <>
      <BarChart
        responsive
        width="100%"
        height={220}
        data={[...rows]}
        barCategoryGap={1}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        title={`Sessions started per ${unit} in ${timeZone}`}
      >
        <CartesianGrid vertical={false} stroke={PALETTE.grid} />
        <XAxis
          dataKey="bin"
          fontSize={12}
          tickFormatter={(bin: string) => (unit === 'day' ? bin.slice(5) : `${bin.slice(5, 10)} ${bin.slice(11)}h`)}
          minTickGap={16}
        />
        <YAxis width={56} fontSize={12} allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} />
        <Tooltip content={BinTooltip} isAnimationActive={false} cursor={{ fill: CURSOR_FILL }} />
        <Bar dataKey="sessions" name="Sessions" fill={PALETTE.within} isAnimationActive={false} />
      </BarChart>
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
