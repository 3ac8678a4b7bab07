import { memo, useId, useState } from 'react';
import { formatLatenessUs, LatenessChart } from '../charts/LatenessChart';
import { formatExact, formatMinutes, formatShare } from '../domain/format';
import type { LatenessHistogramRow, LatenessScope, LatenessSummary, WatermarkSimulation } from '../domain/types';
import { CommitNumberInput } from './CommitNumberInput';

export interface LatenessPanelProps {
  /** The person says the file's row order is the order the events arrived in (default off). */
  arrivalOrder: boolean;
  onArrivalOrderChange: (arrivalOrder: boolean) => void;
  /** latenessSummarySql's row; null while not computed. */
  summary: LatenessSummary | null;
  /** latenessHistogramSql's rows for both scopes; null while not computed. */
  histograms: Record<LatenessScope, readonly LatenessHistogramRow[]> | null;
  /** The allowed lateness of the watermark simulation, in minutes (0 or more). */
  allowedLatenessMinutes: number;
  /** A committed allowed lateness: a finite number of minutes, 0 or more. */
  onAllowedLatenessChange: (minutes: number) => void;
  /** watermarkSimulationSql's row for allowedLatenessMinutes and thresholdMinutes; null while not computed. */
  simulation: WatermarkSimulation | null;
  /** The session threshold the simulation used, in minutes. */
  thresholdMinutes: number;
  /** True while summary, histograms or simulation are being recomputed. */
  loading?: boolean;
}

interface SimulationFigure {
  testId: string;
  label: string;
  value: number;
  note?: string;
}

function simulationFigures(s: WatermarkSimulation): SimulationFigure[] {
  const ofEvents = (n: number) => (s.events ? ` (${formatShare(n / s.events)} of the events)` : '');
  return [
    { testId: 'lateness-dropped', label: 'Events dropped (below the watermark)', value: s.dropped, note: ofEvents(s.dropped) },
    {
      testId: 'lateness-reopened',
      label: 'Kept events older than one already seen for the user (reopen a session)',
      value: s.reopened,
      note: ofEvents(s.reopened),
    },
    { testId: 'lateness-batch-sessions', label: 'Sessions, batch (every event, sorted)', value: s.batchSessions },
    { testId: 'lateness-stream-sessions', label: 'Sessions, stream (kept events only)', value: s.streamSessions },
    {
      testId: 'lateness-sessions-differing',
      label: 'Batch sessions the stream gets wrong',
      value: s.sessionsDiffering,
      note: s.batchSessions ? ` (${formatShare(s.sessionsDiffering / s.batchSessions)} of the batch sessions)` : '',
    },
  ];
}

/**
 * Late and out-of-order data: only when the person says the rows are in arrival order
 * does the panel show the lateness chart and the watermark simulation; otherwise it says
 * why it needs that. Data come from the caller (see src/sql/lateness-sql.ts). Memoised (its
 * callbacks must be stable): a slider step changes only `thresholdMinutes` here.
 */
export const LatenessPanel = memo(function LatenessPanel(props: LatenessPanelProps) {
  const {
    arrivalOrder,
    onArrivalOrderChange,
    summary,
    histograms,
    allowedLatenessMinutes,
    onAllowedLatenessChange,
    simulation,
    thresholdMinutes,
    loading = false,
  } = props;
  const checkboxId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const commit = (text: string) => {
    const minutes = Number(text);
    if (text.trim() === '' || !Number.isFinite(minutes) || minutes < 0) {
      setProblem(`Allowed lateness not changed: "${text}" is not a number of minutes, 0 or more.`);
      return;
    }
    setProblem(null);
    onAllowedLatenessChange(minutes);
  };

  return (
    <section className="lateness" aria-label="Late and out-of-order events" data-testid="lateness-panel" aria-busy={loading}>
      <h2>Late and out-of-order events</h2>
      <label htmlFor={checkboxId}>
        <input
          id={checkboxId}
          type="checkbox"
          data-testid="lateness-arrival-order"
          checked={arrivalOrder}
          onChange={(e) => onArrivalOrderChange(e.currentTarget.checked)}
        />{' '}
        The file&apos;s row order is the order the events arrived in
      </label>
      {!arrivalOrder ? (
        <p className="hint" data-testid="lateness-needs-order">
          Lateness is measured against arrival order: how far an event&apos;s time lies behind the latest time that arrived before it. A file gives that order
          only if its rows were written as the events arrived (an append-only log, a collector&apos;s output). Tick the box if yours was; a file sorted or
          shuffled afterwards says nothing about lateness.
        </p>
      ) : (
        <>
          {summary && histograms ? <LatenessChart summary={summary} histograms={histograms} loading={loading} /> : <p role="status">Measuring lateness…</p>}
          <section
            aria-labelledby={`${checkboxId}-sim`}
            data-testid="lateness-simulation"
            data-loading={loading ? 'true' : 'false'}
            data-allowed-minutes={String(allowedLatenessMinutes)}
            data-gap-minutes={String(thresholdMinutes)}
          >
            <h3 id={`${checkboxId}-sim`} style={{ fontSize: 16, marginBottom: 4 }}>
              Watermark simulation
            </h3>
            <p className="hint" style={{ marginTop: 0 }}>
              A streaming sessionizer reads the events in file order with a watermark at the latest time seen minus the allowed lateness, and drops every event
              below it. The batch result (every event, sorted, then sessionized at {formatMinutes(thresholdMinutes)}) stays the reference.
            </p>
            <CommitNumberInput testId="lateness-allowed-minutes" label="Allowed lateness (min)" value={allowedLatenessMinutes} min={0} onCommit={commit} />
            {problem && (
              <p role="alert" className="error">
                {problem}
              </p>
            )}
            {simulation ? (
              <dl style={{ display: 'grid', gridTemplateColumns: 'auto auto', gap: '2px 16px', justifyContent: 'start' }}>
                {simulationFigures(simulation).map((f) => (
                  <div key={f.testId} style={{ display: 'contents' }}>
                    <dt>{f.label}</dt>
                    <dd style={{ margin: 0 }} data-testid={f.testId} data-value={String(f.value)}>
                      <strong>{formatExact(f.value)}</strong>
                      {f.note}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p role="status">Simulating…</p>
            )}
            {simulation && summary && (
              <p className="hint">
                {simulation.dropped === 0
                  ? `With ${formatMinutes(allowedLatenessMinutes)} of allowed lateness no event is dropped; the stream still has to insert ${formatExact(simulation.reopened)} events into a user's past.`
                  : `Keeping every event on time needs ${formatLatenessUs(summary.delay100Us)} of allowed lateness.`}
              </p>
            )}
          </section>
        </>
      )}
    </section>
  );
});
