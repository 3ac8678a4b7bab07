import { memo, useMemo, useState } from 'react';
import { CopyButton } from './CopyButton';
import { DbtFiles } from './DbtFiles';
import type { Dataset, SessionResult } from '../state/app-store';
import {
  DIALECTS,
  DIALECT_LABELS,
  pysparkCode,
  sessionizationQuery,
  sessionsQuery,
  typedTimestampText,
  type DialectQuerySpec,
  type SqlInput,
} from '../sql/dialect-sql';
import { renamedColumnNote, renamedExportColumns } from '../domain/export-columns';
import { rememberDialect, rememberedDialect, type DialectChoice as Choice } from '../state/sql-dialect-choice';
import { isSqlInput, rememberedSqlInput, rememberSqlInput } from '../state/sql-input-choice';

type Output = 'events' | 'sessions' | 'dbt';
const asOutput = (value: string): Output => (value === 'sessions' || value === 'dbt' ? value : 'events');

interface SqlPanelProps {
  dataset: Dataset;
  result: SessionResult;
  /** Users with more events than this are left out (bot exclusion); null or absent: none. */
  excludeUsersOverEvents?: number | null;
  /** A column match that leaves users out on the page but is not part of the SQL (null: none). */
  columnMatchNotInSql?: { column: string; contains: string } | null;
}

/** The sessionization as SQL for the engines people move to, for the mapping, threshold and rules on screen. */
export const SqlPanel = memo(function SqlPanel({ dataset, result, excludeUsersOverEvents = null, columnMatchNotInSql = null }: SqlPanelProps) {
  const [dialect, setDialect] = useState<Choice>(() => rememberedDialect());
  const [input, setInput] = useState<SqlInput>(() => rememberedSqlInput());
  const [table, setTable] = useState('clicks');
  const [output, setOutput] = useState<Output>('events');
  const mapping = dataset.events.mapping;
  const { gapMinutes } = result;
  const { boundary, maxDurationMinutes, maxEvents, midnightTimeZone, splitColumn } = result.rules;
  const { columns } = dataset.raw;
  const renamed = renamedExportColumns(columns);
  const spec: Omit<DialectQuerySpec, 'dialect'> = useMemo(
    () => ({
      table,
      mapping,
      thresholdMinutes: gapMinutes,
      boundary,
      columns,
      input,
      rules: { maxDurationMinutes, maxEvents, midnightTimeZone, splitColumn },
      excludeUsersOverEvents,
    }),
    [table, mapping, gapMinutes, boundary, columns, input, maxDurationMinutes, maxEvents, midnightTimeZone, splitColumn, excludeUsersOverEvents],
  );
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
          <span>Table holds</span>
          <select
            data-testid="sql-input"
            value={input}
            onChange={(e) => {
              const choice = e.currentTarget.value;
              if (!isSqlInput(choice)) return;
              setInput(choice);
              rememberSqlInput(choice);
            }}
          >
            <option value="text">the file's columns as text</option>
            <option value="typed">typed columns (a TIMESTAMP or epoch number)</option>
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
      {midnightTimeZone !== null && dialect === 'duckdb' && (
        <p className="hint" data-testid="sql-rules-note">
          The midnight rule uses DuckDB's time zones (its ICU extension, part of the native builds; DuckDB-WASM may lack it).
        </p>
      )}
      {columnMatchNotInSql && (
        <p className="hint warn" data-testid="sql-filter-note">
          The page also leaves out users whose “{columnMatchNotInSql.column}” contains “{columnMatchNotInSql.contains}”; this query does not: add that filter on
          the table before running it, or the session counts will differ.
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
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a query wider or longer than its box scrolls, and a keyboard can scroll only what it can focus (WCAG 2.1.1; axe's scrollable-region-focusable).
        <pre className="sql-text" data-testid="sql-panel" tabIndex={0}>
          {text}
        </pre>
      )}
      <p className="hint">
        {input === 'typed'
          ? `Typed: the table's ${mapping.timestamp} column holds ${typedTimestampText(mapping.format)}, its ${mapping.user} column the user ids. `
          : "The table holds the file's columns as text, exactly as in the file. "}
        Every rule on screen is part of the query. DuckDB and PostgreSQL versions are run in CI against the page's sessions, for both inputs and every rule; the
        Spark, BigQuery and Snowflake texts are parsed and the PySpark code is compiled. Streaming (Spark session windows) splits only on a gap longer than its
        gap duration: give it the threshold minus 1 µs.
      </p>
    </section>
  );
});
