import type { ColumnMapping, ColumnProfile } from '../domain/types';
import { columnEvidence } from '../domain/column-evidence';
import { formatCount } from '../domain/format';

const ROLES: [keyof ColumnMapping, string][] = [
  ['user', 'user'],
  ['timestamp', 'time'],
  ['time', 'time of day'],
  ['url', 'url'],
];

/** Each profiled column's fill rate, distinct count and first values, with the role it has. */
export function ColumnEvidenceTable({ profiles, mapping }: { profiles: readonly ColumnProfile[]; mapping: ColumnMapping }) {
  if (profiles.length === 0) return <p className="hint">The columns' profiles are being made…</p>;
  const rows = (profiles[0]?.sampleRows ?? 0).toLocaleString('en-US');
  return (
    <div className="evidence-scroll">
      <table className="data-table evidence-table" data-testid="column-evidence">
        <caption>What each column holds, in the first {rows} rows</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Used as</th>
            <th scope="col">Filled</th>
            <th scope="col">Distinct</th>
            <th scope="col">First values</th>
          </tr>
        </thead>
        <tbody>
          {profiles.map((p) => {
            const e = columnEvidence(p);
            const roles = ROLES.filter(([field]) => mapping[field] === p.column).map(([, name]) => name);
            return (
              <tr
                key={p.column}
                data-column={p.column}
                data-filled={e.filled.toFixed(4)}
                data-distinct={e.distinct}
                className={roles.length ? 'evidence-used' : undefined}
              >
                <th scope="row">{p.column}</th>
                <td>{roles.join(', ')}</td>
                <td className={e.filled < 0.8 ? 'evidence-sparse' : undefined}>{Math.round(e.filled * 100)}%</td>
                <td>{formatCount(e.distinct)}</td>
                <td className="mono">{e.samples.join(' · ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
