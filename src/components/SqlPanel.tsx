import { memo, useMemo, useState } from 'react';
import { CopyButton } from './CopyButton';
import { DbtFiles } from './DbtFiles';
import type { Dataset, SessionResult } from '../state/app-store';
import { DIALECTS, DIALECT_LABELS, pysparkCode, sessionizationQuery, sessionsQuery } from '../sql/dialect-sql';
import { onlyGapRule } from '../domain/rules';
import { renamedColumnNote, renamedExportColumns } from '../domain/export-columns';
import { rememberDialect, rememberedDialect, type DialectChoice as Choice } from '../state/sql-dialect-choice';

type Output = 'events' | 'sessions' | 'dbt';
const asOutput = (value: string): Output => (value === 'sessions' || value === 'dbt' ? value : 'events');

/** The sessionization as SQL for the engines people move to, for the mapping and threshold on screen. */
export const SqlPanel = memo(function SqlPanel({ dataset, result }: { dataset: Dataset; result: SessionResult }) {
  const [dialect, setDialect] = useState<Choice>(() => rememberedDialect());
  const [table, setTable] = useState('clicks');
  const [output, setOutput] = useState<Output>('events');
  const mapping = dataset.events.mapping;
  const { gapMinutes } = result;
  const { boundary } = result.rules;
  const { columns } = dataset.raw;
  const renamed = renamedExportColumns(columns);
  const spec = useMemo(() => ({ table, mapping, thresholdMinutes: gapMinutes, boundary, columns }), [table, mapping, gapMinutes, boundary, columns]);
  const dbt = useMemo(() => (dialect !== 'pyspark' && output === 'dbt' ? { ...spec, dialect } : null), [spec, dialect, output]);
  const text = useMemo(() => {
    if (dbt) return '';
    try {
      if (dialect === 'pyspark') return pysparkCode(spec);
      return output === 'events' ? sessionizationQuery({ ...spec, dialect }) : sessionsQuery({ ...spec, dialect });
    } catch (error) {
      return `-- ${error instanceof Error ? error.message : String(error)}`;
    }
  }, [dbt, dialect, output, spec]);

  return (
    <section className="sql-panel-section" aria-label="SQL for other engines">
      <h2>The same sessionization in SQL</h2>
      <div className="sql-controls">
        <label>
          <span>Engine</span>
          <select
            data-testid="sql-dialect"
            value={dialect}
            onChange={(e) => {
              const choice = e.currentTarget.value as Choice;
              setDialect(choice);
              rememberDialect(choice);
            }}
          >
            {DIALECTS.map((d) => (
              <option key={d} value={d}>
                {DIALECT_LABELS[d]}
              </option>
            ))}
            <option value="pyspark">PySpark (DataFrame)</option>
          </select>
        </label>
        <label>
          <span>Table</span>
          <input data-testid="sql-table" value={table} spellCheck={false} onChange={(e) => setTable(e.currentTarget.value)} />
        </label>
        {dialect !== 'pyspark' && (
          <label>
            <span>Returns</span>
            <select data-testid="sql-output" value={output} onChange={(e) => setOutput(asOutput(e.currentTarget.value))}>
              <option value="events">one row per event (the events export)</option>
              <option value="sessions">one row per session (the sessions export)</option>
              <option value="dbt">dbt model (models/sessions.sql and schema.yml)</option>
            </select>
          </label>
        )}
        {!dbt && <CopyButton text={text} testId="sql-copy" />}
      </div>
      {!onlyGapRule(result.rules) && (
        <p className="hint" data-testid="sql-rules-note">
          This SQL applies the inactivity gap and the boundary only: the further rules in use (maximum length, maximum events, midnight, column change) are not
          expressed, since they depend on where the previous session was cut.
        </p>
      )}
      {renamed.length > 0 && (output === 'events' || dialect === 'pyspark') && (
        <p className="hint" data-testid="sql-renamed-columns">
          {renamed.map(renamedColumnNote).join(' ')}
        </p>
      )}
      {dbt ? (
        <DbtFiles spec={dbt} />
      ) : (
        <pre className="sql-text" data-testid="sql-panel">
          {text}
        </pre>
      )}
      <p className="hint">
        The table holds the file's columns as text, exactly as in the file. DuckDB and PostgreSQL versions are run in CI against the page's own exports; Spark,
        BigQuery, Snowflake and PySpark are checked by review. Streaming (Spark session windows) splits only on a gap longer than its gap duration: give it the
        threshold minus 1 µs.
      </p>
    </section>
  );
});
