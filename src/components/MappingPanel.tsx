import { memo, useEffect, useState } from 'react';
import type { AppStore, Dataset } from '../state/app-store';
import type { ColumnMapping, TimestampFormat } from '../domain/types';
import { TIMESTAMP_FORMATS, TIMESTAMP_FORMAT_LABELS } from '../domain/types';

/** Which column is the user, the timestamp (and time of day) and the url. */
export const MappingPanel = memo(function MappingPanel({ store, dataset }: { store: AppStore; dataset: Dataset }) {
  const applied = dataset.events.mapping;
  // Shows a choice at once, before the re-sessionized result arrives.
  const [mapping, setMapping] = useState<ColumnMapping>(applied);
  useEffect(() => setMapping(applied), [applied]);
  const columns = dataset.raw.columns;

  const change = (patch: Partial<ColumnMapping>) => {
    const next = { ...mapping, ...patch };
    setMapping(next);
    // A different timestamp column may be written differently: the store guesses its format again.
    void store.setMapping(next, patch.timestamp !== undefined || patch.time !== undefined);
  };

  return (
    <fieldset className="mapping">
      <legend>Columns</legend>
      <ColumnSelect label="User id" testId="map-user" value={mapping.user} columns={columns} onChange={(user) => change({ user })} />
      <ColumnSelect label="Timestamp" testId="map-timestamp" value={mapping.timestamp} columns={columns} onChange={(timestamp) => change({ timestamp })} />
      <ColumnSelect
        label="Time of day (optional)"
        testId="map-time"
        value={mapping.time}
        columns={columns}
        none="— in the timestamp —"
        onChange={(time) => change({ time })}
      />
      <ColumnSelect label="Url / page (optional)" testId="map-url" value={mapping.url} columns={columns} none="— none —" onChange={(url) => change({ url })} />
      <label>
        <span>Timestamp format</span>
        <select data-testid="ts-format" value={mapping.format} onChange={(e) => change({ format: e.currentTarget.value as TimestampFormat })}>
          {TIMESTAMP_FORMATS.map((f) => (
            <option key={f} value={f}>
              {TIMESTAMP_FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
});
interface ColumnSelectProps {
  label: string;
  testId: string;
  value: string;
  columns: string[];
  none?: string;
  onChange: (column: string) => void;
}

function ColumnSelect({ label, testId, value, columns, none, onChange }: ColumnSelectProps) {
  return (
    <label>
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {none !== undefined && <option value="">{none}</option>}
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}
