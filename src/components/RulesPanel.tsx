import { memo } from 'react';
import type { AppStore } from '../state/app-store';
import type { SessionRules } from '../domain/rules';
import { PRESETS, type PresetId } from '../domain/presets';
import { CommitNumberInput } from './CommitNumberInput';
import { isTimeZone } from '../domain/midnights';

// Browsers list ICU's canonical names, some of which IANA has since renamed (Chromium says
// Asia/Calcutta, people write Asia/Kolkata): offer both, for every name Intl accepts.
const CURRENT_NAMES = [
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Ho_Chi_Minh',
  'Asia/Yangon',
  'Europe/Kyiv',
  'America/Nuuk',
  'America/Argentina/Buenos_Aires',
  'Atlantic/Faroe',
  'Pacific/Chuuk',
  'Pacific/Pohnpei',
  'Pacific/Kanton',
];
const TIME_ZONES = ['UTC', ...[...new Set([...Intl.supportedValuesOf('timeZone'), ...CURRENT_NAMES.filter(isTimeZone)])].filter((z) => z !== 'UTC').sort()];

/** Optional rules the analytics products add to the gap, and presets that set them. */
interface RulesPanelProps {
  store: AppStore;
  rules: SessionRules;
  /** The preset chosen (store state: it stays chosen until a setting is changed by hand). */
  preset: PresetId;
  presetZone: string;
  presetCampaignColumn: string | null;
  columns: string[];
}

export const RulesPanel = memo(function RulesPanel({ store, rules, preset, presetZone, presetCampaignColumn, columns }: RulesPanelProps) {
  const chosen = PRESETS.find((p) => p.id === preset);
  const set = (patch: Partial<SessionRules>) => store.setRules({ ...rules, ...patch });
  const positive = (text: string, what: string, integer: boolean): number | null | undefined => {
    if (text.trim() === '') return null;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      store.reportError(`${what} not changed: "${text}" is not a ${integer ? 'whole number' : 'number'} above zero. Leave it empty to turn the rule off.`);
      return undefined;
    }
    return n;
  };

  return (
    <fieldset className="rules">
      <legend>Session rules</legend>
      <label>
        <span>Count sessions like</span>
        <select
          data-testid="rule-preset"
          value={preset}
          onChange={(e) => {
            const id = e.currentTarget.value;
            store.choosePreset(id === 'custom' || PRESETS.some((p) => p.id === id) ? (id as PresetId) : 'custom');
          }}
        >
          <option value="custom">Custom</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>A gap equal to the threshold</span>
        <select data-testid="rule-boundary" value={rules.boundary} onChange={(e) => set({ boundary: e.currentTarget.value === 'gt' ? 'gt' : 'ge' })}>
          <option value="ge">starts a new session (≥)</option>
          <option value="gt">stays in the session (&gt;)</option>
        </select>
      </label>
      <CommitNumberInput
        testId="rule-max-duration"
        label="Maximum session length (min)"
        value={rules.maxDurationMinutes}
        min={0}
        placeholder="off"
        onCommit={(text) => {
          const v = positive(text, 'Maximum session length', false);
          if (v !== undefined) set({ maxDurationMinutes: v });
        }}
      />
      <CommitNumberInput
        testId="rule-max-events"
        label="Maximum events per session"
        value={rules.maxEvents}
        min={1}
        step="1"
        placeholder="off"
        onCommit={(text) => {
          const v = positive(text, 'Maximum events per session', true);
          if (v !== undefined) set({ maxEvents: v });
        }}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="rule-midnight"
          checked={rules.midnightTimeZone !== null}
          onChange={(e) => set({ midnightTimeZone: e.currentTarget.checked ? presetZone : null })}
        />
        Split at midnight in
      </label>
      <select
        data-testid="rule-timezone"
        aria-label="Time zone for the midnight split"
        value={presetZone}
        onChange={(e) => {
          const zone = e.currentTarget.value;
          // A chosen preset's midnight follows the zone (setPresetContext); custom rules are changed by hand.
          store.setPresetContext(zone, presetCampaignColumn);
          if (preset === 'custom' && rules.midnightTimeZone !== null) set({ midnightTimeZone: zone });
        }}
      >
        {TIME_ZONES.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
      <label>
        <span>Split when this column changes</span>
        <select
          data-testid="rule-split-column"
          value={rules.splitColumn ?? ''}
          onChange={(e) => {
            const column = e.currentTarget.value || null;
            if (column) store.setPresetContext(presetZone, column);
            set({ splitColumn: column });
          }}
        >
          <option value="">— off —</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <p className="hint" data-testid="rule-source">
        {chosen
          ? `${chosen.source} Not reproducible from a file: ${chosen.caveat}`
          : 'Custom rules. Rules apply in one pass per user in time order; any rule that fires starts a new session.'}
        {chosen?.rules.splitOnCampaign && !presetCampaignColumn && ' No campaign column was found: choose one under "Split when this column changes".'}
      </p>
    </fieldset>
  );
});
