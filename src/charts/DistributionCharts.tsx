import { memo } from 'react';
import type { SessionDistributionRow, TopPageRow } from '../domain/types';
import { formatCount, formatShare } from '../domain/format';
import { ChartFrame, formatSecondsRange, GAP_AXIS_TICKS, PALETTE, ScreenReaderTable } from './chart-common';
import { CountBars, type CountBar } from './CountBars';

export interface DistributionChartsProps {
  /** splitSessionViews(rows).distribution: every duration and events-per-session bin. */
  distribution: readonly SessionDistributionRow[];
  /** splitSessionViews(rows).pages, or null when no url column is mapped. */
  pages: readonly TopPageRow[] | null;
  /** Sessions at the current threshold (stat-sessions), for shares. */
  sessions: number;
  loading?: boolean;
}

type BarDatum = CountBar;

interface SmallHistogramProps {
  testId: string;
  caption: string;
  data: readonly BarDatum[];
  color: string;
  gapAxis?: boolean;
}

/** A bar per bin; on a gap axis (key = gap bin) the labels sit on the same time ticks as the gap histogram. */
function SmallHistogram({ testId, caption, data, color, gapAxis = false }: SmallHistogramProps) {
  const [from, to] = [(data[0]?.key ?? 0) - 0.5, (data.at(-1)?.key ?? 0) + 0.5];
  const ticks = gapAxis
    ? GAP_AXIS_TICKS.filter((t) => t.position >= from && t.position <= to).map((t) => ({ position: t.position - from - 0.5, label: t.label }))
    : undefined;
  return (
    <div data-testid={testId} data-total={data.reduce((sum, d) => sum + d.count, 0)} style={{ flex: '1 1 320px', minWidth: 0 }}>
      <h4 style={{ margin: '8px 0 4px', fontSize: 14 }}>{caption}</h4>
      <CountBars bars={data} color={color} height={200} ticks={ticks} />
      <ScreenReaderTable>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Bin</th>
            <th scope="col">Sessions</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.key} data-count={d.count}>
              <td>{d.detail}</td>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </ScreenReaderTable>
    </div>
  );
}

/** The duration bins from the first to the last non-empty one (the ends are mostly empty). */
function durationData(rows: readonly SessionDistributionRow[]): BarDatum[] {
  const bins = rows.filter((r) => r.kind === 'duration');
  const first = bins.findIndex((r) => r.count > 0);
  const last = bins.findLastIndex((r) => r.count > 0);
  return (first < 0 ? [] : bins.slice(first, last + 1)).map((r) => ({
    key: r.bin,
    label: formatSecondsRange(r.low, r.high),
    detail: r.bin === 0 ? 'under 0.1 s (single-event sessions have 0 s)' : formatSecondsRange(r.low, r.high),
    count: r.count,
  }));
}

function eventsData(rows: readonly SessionDistributionRow[]): BarDatum[] {
  return rows
    .filter((r) => r.kind === 'events')
    .map((r) => {
      const label = r.high === null ? `> ${r.low - 1}` : r.low === r.high ? String(r.low) : `${r.low}–${r.high}`;
      return { key: r.bin, label, detail: `${label} events`, count: r.count };
    });
}

function PagesTable({ kind, pages, sessions }: { kind: 'entry' | 'exit'; pages: readonly TopPageRow[]; sessions: number }) {
  const rows = pages.filter((p) => p.kind === kind);
  return (
    <table className="data-table" data-testid={`top-${kind}-pages`} style={{ flex: '1 1 320px' }}>
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>{kind === 'entry' ? 'Top entry pages' : 'Top exit pages'}</caption>
      <thead>
        <tr>
          <th scope="col">URL</th>
          <th scope="col">Sessions</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.url ?? '\u0000none'} data-count={p.sessions}>
            <td className="mono" style={{ wordBreak: 'break-all' }}>
              {p.url ?? '(no url)'}
            </td>
            <td data-value={p.sessions}>{formatCount(p.sessions)}</td>
            <td>{formatShare(sessions > 0 ? p.sessions / sessions : 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Session durations and events per session at the current threshold, and top entry/exit pages. */
export const DistributionCharts = memo(function DistributionCharts({ distribution, pages, sessions, loading = false }: DistributionChartsProps) {
  const durations = durationData(distribution);
  const sizes = eventsData(distribution);
  return (
    <ChartFrame
      testId="session-distributions"
      title="Sessions at this threshold"
      loading={loading}
      data={{ 'data-sessions': String(sessions) }}
      empty={sessions === 0 ? 'No sessions yet.' : null}
      summary={`How long the ${formatCount(sessions)} sessions last (log time bins; a single-event session lasts 0 s) and how many events they hold${pages ? ', and where they start and end' : ''}.`}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
        <SmallHistogram testId="session-duration-histogram" caption="Session duration" data={durations} color={PALETTE.within} gapAxis />
        <SmallHistogram testId="session-events-histogram" caption="Events per session" data={sizes} color={PALETTE.second} />
      </div>
      {pages ? (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, marginTop: 12 }}>
          <PagesTable kind="entry" pages={pages} sessions={sessions} />
          <PagesTable kind="exit" pages={pages} sessions={sessions} />
        </div>
      ) : (
        <p className="hint">Map a url column to see the top entry and exit pages.</p>
      )}
    </ChartFrame>
  );
});
