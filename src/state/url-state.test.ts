import { describe, expect, it } from 'vitest';
import { NO_RULES } from '../domain/rules';
import { PRESETS, presetRules } from '../domain/presets';
import { DEFAULT_URL_SETTINGS, readUrlSettings, writeUrlSettings, type UrlSettings } from './url-state';

const roundTrip = (s: UrlSettings) => readUrlSettings(`?${writeUrlSettings(s).toString()}`);

describe('URL settings', () => {
  const cases: [string, UrlSettings][] = [
    ['the defaults', DEFAULT_URL_SETTINGS],
    ['a decimal threshold', { ...DEFAULT_URL_SETTINGS, gapMinutes: 0.5 }],
    [
      'every rule, a preset, a mapping with odd column names and a user with spaces and symbols',
      {
        gapMinutes: 30,
        rules: { boundary: 'gt', maxDurationMinutes: 720, maxEvents: 500, midnightTimeZone: 'Asia/Kolkata', splitColumn: 'utm source&x=1' },
        preset: 'matomo',
        mapping: { user: 'user id', timestamp: 'ts=when', time: '', url: '名前', format: 'epoch-ms' },
        user: 'u 1&gap=9#x',
        userFilters: { maxEventsPerUser: 1000, columnMatch: { column: 'user agent', contains: 'Bot&x' } },
        compareGapMinutes: 7.5,
        displayTimeZone: 'America/New_York',
      },
    ],
    ['a mapping with no url column', { ...DEFAULT_URL_SETTINGS, mapping: { user: 'ip', timestamp: 'ts', time: '', url: '', format: 'iso' } }],
  ];
  it.each(cases)('round-trips %s', (_, settings) => {
    expect(roundTrip(settings)).toEqual({ settings, problems: [] });
  });

  it("keeps the contract's ?gap= key and leaves defaults out of the address", () => {
    expect(writeUrlSettings({ ...DEFAULT_URL_SETTINGS, gapMinutes: 45 }).toString()).toBe('gap=45');
  });

  it("keeps keys it does not own (another feature's) and drops the ones turned off", () => {
    const before = new URLSearchParams('other-feature=1000&max-events=5&gap=10');
    const after = writeUrlSettings({ ...DEFAULT_URL_SETTINGS, gapMinutes: 20 }, before);
    expect(after.get('other-feature')).toBe('1000');
    expect(after.has('max-events')).toBe(false);
    expect(after.get('gap')).toBe('20');
  });

  it('reads an address without settings as the defaults', () => {
    expect(readUrlSettings('')).toEqual({ settings: DEFAULT_URL_SETTINGS, problems: [] });
  });

  it('applies a preset named alone with its own threshold and rules', () => {
    const ua = PRESETS.find((p) => p.id === 'universal-analytics');
    if (!ua) throw new Error('no UA preset');
    const { settings } = readUrlSettings('?preset=universal-analytics');
    expect(settings.rules).toEqual(presetRules(ua, 'UTC', null));
    expect(settings.gapMinutes).toBe(ua.gapMinutes);
    expect(settings.preset).toBe('universal-analytics');
  });

  it.each([
    ['?gap=abc', 'gap'],
    ['?gap=-3', 'gap'],
    ['?max-events=2.5', 'max-events'],
    ['?max-duration=0', 'max-duration'],
    ['?midnight=Mars/Olympus', 'midnight'],
    ['?boundary=maybe', 'boundary'],
    ['?preset=nope', 'preset'],
    ['?ts-format=roman', 'ts-format'],
  ])('ignores %s with a problem naming %s', (search, key) => {
    const { settings, problems } = readUrlSettings(search);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(key);
    expect(settings.rules).toEqual(NO_RULES);
    expect(settings.gapMinutes).toBe(30);
  });
});
