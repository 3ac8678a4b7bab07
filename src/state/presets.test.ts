import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { textSource } from '../test/file-source';
import { referenceRuleSessions, type RuleEvent } from '../test/reference-rules';
import { NO_RULES } from '../domain/rules';
import { PRESETS, presetRules } from '../domain/presets';
import { AppStore } from './app-store';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const MIN = 60_000_000;
const BASE = Date.UTC(2024, 4, 1, 22) * 1000;
// a: 22:00 (google), 22:20, 22:40 (mail), 23:00, 23:20, 00:10 next day; b: 10:00, 10:30 next day.
const EVENTS: RuleEvent[] = (
  [
    ['a', 0, 'google'],
    ['a', 20, ''],
    ['a', 40, 'mail'],
    ['a', 60, ''],
    ['a', 80, ''],
    ['a', 130, ''],
    ['b', 720, ''],
    ['b', 750, ''],
  ] as const
).map(([user, minutes, split], i) => ({ row: i + 1, user, tsUs: BASE + minutes * MIN, split }));
const CSV = `user_id,timestamp,utm_source\n${EVENTS.map((e) => `${e.user},${new Date(e.tsUs / 1000).toISOString()},${e.split}`).join('\n')}\n`;

async function loaded(): Promise<AppStore> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  await store.loadFile(textSource('rules.csv', CSV));
  await settled(store);
  return store;
}

describe('the preset is state, not derived from the settings', () => {
  it('a chosen preset stays chosen even when another has the same settings', async () => {
    const store = await loaded();
    expect(store.getState().preset).toBe('custom');
    store.choosePreset('amplitude');
    await settled(store);
    // Amplitude and GA4 both mean 30 minutes and no further rule.
    expect(store.getState()).toMatchObject({ preset: 'amplitude', gapMinutes: 30, status: 'ready' });
    store.choosePreset('ga4');
    expect(store.getState().preset).toBe('ga4');
    store.choosePreset('custom');
    await settled(store);
    expect(store.getState()).toMatchObject({ preset: 'custom', gapMinutes: 30, rules: NO_RULES });
  });

  it('changing the threshold or a rule by hand makes it custom; a zone change keeps it', async () => {
    const store = await loaded();
    store.choosePreset('mixpanel');
    expect(store.getState().rules.midnightTimeZone).toBe('UTC');
    store.setPresetContext('Asia/Kolkata', store.getState().presetCampaignColumn);
    expect(store.getState()).toMatchObject({ preset: 'mixpanel', rules: { midnightTimeZone: 'Asia/Kolkata' } });
    store.setGapMinutes(31);
    expect(store.getState().preset).toBe('custom');
    store.choosePreset('adobe');
    store.setBoundary('gt');
    expect(store.getState().preset).toBe('custom');
    store.choosePreset('posthog');
    store.setRules({ ...store.getState().rules, maxEvents: 3 });
    expect(store.getState().preset).toBe('custom');
    await settled(store);
    expect(store.getState().status).toBe('ready');
  });

  it('the figures under a chosen preset, and the sessions the gap alone makes, equal the reference', async () => {
    const store = await loaded();
    const campaign = store.getState().presetCampaignColumn;
    expect(campaign).toBe('utm_source');
    for (const preset of PRESETS) {
      store.choosePreset(preset.id);
      await settled(store);
      const rules = presetRules(preset, 'UTC', campaign);
      const reference = (r: typeof rules) =>
        new Set(
          referenceRuleSessions(EVENTS, {
            thresholdUs: preset.gapMinutes * MIN,
            boundary: r.boundary,
            maxDurationUs: r.maxDurationMinutes === null ? null : r.maxDurationMinutes * MIN,
            maxEvents: r.maxEvents,
            timeZone: r.midnightTimeZone,
            split: r.splitColumn !== null,
          }).values(),
        ).size;
      const { result, comparison, preset: shown } = store.getState();
      expect(shown).toBe(preset.id);
      expect(result?.stats.sessions, preset.id).toBe(reference(rules));
      expect(result?.gapOnlySessions, preset.id).toBe(reference({ ...NO_RULES, boundary: rules.boundary }));
      expect(comparison?.rows.find((r) => r.preset === preset.id)?.stats.sessions).toBe(reference(rules));
    }
  });

  it('a chosen preset follows the next file: its campaign rule watches the campaign column of that file', async () => {
    const store = await loaded();
    store.choosePreset('universal-analytics');
    await settled(store);
    expect(store.getState().rules.splitColumn).toBe('utm_source');
    await store.loadFile(textSource('other.csv', CSV.replace('utm_source', 'campaign')));
    await settled(store);
    expect(store.getState()).toMatchObject({
      preset: 'universal-analytics',
      presetCampaignColumn: 'campaign',
      rules: { splitColumn: 'campaign', maxEvents: 500 },
    });
    expect(store.getState().status).toBe('ready');
    expect(store.getState().result?.rules.splitColumn).toBe('campaign');
  });
});
