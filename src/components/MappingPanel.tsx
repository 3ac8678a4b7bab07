import { memo, useEffect, useState } from 'react';
import type { AppStore, Dataset } from '../state/app-store';
import type { ColumnMapping, TimestampFormat } from '../domain/types';
import { TIMESTAMP_FORMATS, TIMESTAMP_FORMAT_LABELS } from '../domain/types';
import { columnEvidence, evidenceLabel, type ColumnEvidence } from '../domain/column-evidence';
import { ColumnEvidenceTable } from './ColumnEvidenceTable';
import { SkippedUserWarning } from './SkippedUserWarning';

/**
 * Which column is the user, the timestamp (and time of day) and the url. Folded after a
 * load to one line whose column names are the selects themselves (so they stay usable, by
 * people and scripts, without opening anything); "Edit columns" opens the evidence: each
 * column's fill rate, distinct count and first values, and the timestamp format.
 */
export const MappingPanel = memo(function MappingPanel({ store, dataset }: { store: AppStore; dataset: Dataset }) {
  const applied = dataset.events.mapping;
  // Shows a choice at once, before the re-sessionized result arrives.
  const [mapping, setMapping] = useState<ColumnMapping>(applied);
  useEffect(() => setMapping(applied), [applied]);
  // Open for one file: a newly loaded file's mapping starts folded.
  const [openFor, setOpenFor] = useState<number | null>(null);
  const open = openFor === dataset.raw.id;
  const columns = dataset.raw.columns;
  const evidence = new Map(dataset.profiles.map((p) => [p.column, columnEvidence(p)]));

  const change = (patch: Partial<ColumnMapping>) => {
    const next = { ...mapping, ...patch };
    setMapping(next);
    // A different timestamp column may be written differently: the store guesses its format again.
    void store.setMapping(next, patch.timestamp !== undefined || patch.time !== undefined);
  };
  const shared = { columns, evidence: open ? evidence : null };

  return (
    <fieldset className={open ? 'mapping mapping-open' : 'mapping'} aria-label="Columns">
      <legend>Columns</legend>
      <div className="mapping-line">
        <ColumnSelect label="user" testId="map-user" value={mapping.user} {...shared} onChange={(user) => change({ user })} />
        <ColumnSelect label="time" testId="map-timestamp" value={mapping.timestamp} {...shared} onChange={(timestamp) => change({ timestamp })} />
        <ColumnSelect label="+ time of day" testId="map-time" value={mapping.time} {...shared} none="—" onChange={(time) => change({ time })} />
        <ColumnSelect label="url" testId="map-url" value={mapping.url} {...shared} none="— none —" onChange={(url) => change({ url })} />
        <label className="mapping-format">
          <span>format</span>
          <select data-testid="ts-format" value={mapping.format} onChange={(e) => change({ format: e.currentTarget.value as TimestampFormat })}>
            {TIMESTAMP_FORMATS.map((f) => (
              <option key={f} value={f}>
                {TIMESTAMP_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="edit-columns" aria-expanded={open} onClick={() => setOpenFor(open ? null : dataset.raw.id)}>
          {open ? 'Done' : 'Edit columns'}
        </button>
      </div>
      <SkippedUserWarning dataset={dataset} onUse={(user) => change({ user })} />
      {open && <ColumnEvidenceTable profiles={dataset.profiles} mapping={mapping} />}
    </fieldset>
  );
});

interface ColumnSelectProps {
  label: string;
  testId: string;
  value: string;
  columns: string[];
  /** Evidence for the option labels when the panel is open, else null (names alone keep the line short). */
  evidence: Map<string, ColumnEvidence> | null;
  none?: string;
  onChange: (column: string) => void;
}

function ColumnSelect({ label, testId, value, columns, evidence, none, onChange }: ColumnSelectProps) {
  return (
    <label>
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {none !== undefined && <option value="">{none}</option>}
        {columns.map((c) => {
          const detail = evidence ? evidenceLabel(evidence.get(c)) : '';
          return (
            <option key={c} value={c}>
              {detail ? `${c} — ${detail}` : c}
            </option>
          );
        })}
      </select>
    </label>
  );
}
