import { DEFAULT_GAP_MINUTES, parseGapMinutes } from '../domain/threshold';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { PRESETS, presetRules, type PresetId } from '../domain/presets';
import { isTimeZone } from '../domain/midnights';
import { TIMESTAMP_FORMATS, type ColumnMapping, type TimestampFormat } from '../domain/types';
import { NO_USER_FILTERS, type UserFilters } from '../domain/user-filters';

/*
 * The page's settings as its address carries them (ui-contract.md, "Shared state"), so a
 * link reproduces the view: typed settings <-> URLSearchParams, pure. Each setting owns a
 * few keys (URL_KEYS); writing sets or deletes only those, so keys this module does not
 * know (another feature's) survive, and a new setting is a field here, a key, a read and a
 * write. A value that cannot be read is ignored with a problem a person can act on.
 */

export interface UrlSettings {
  /** `gap`: the threshold in minutes (the contract's `?gap=`). */
  gapMinutes: number;
  /** `boundary`, `max-duration`, `max-events`, `midnight` (a zone), `split` (a column); absent = off. */
  rules: SessionRules;
  /** `preset`: the product whose counting was chosen; alone (no rule keys) it sets the rules. */
  preset: PresetId | null;
  /** `col-user`, `col-ts`, `col-time`, `col-url`, `ts-format`: the columns by name ('' = none); null when the link names none. */
  mapping: Partial<ColumnMapping> | null;
  /** `user`: the user whose timeline is shown. */
  user: string | null;
  /** `exclude-over` (events per user), `exclude-col` + `exclude-has` (a column's text): the users left out. */
  userFilters: UserFilters;
  /** `compare`: the second threshold in minutes; null when off. */
  compareGapMinutes: number | null;
  /** `tz`: the zone times are shown in (UTC when absent). */
  displayTimeZone: string;
}

export const URL_KEYS = {
  gap: 'gap',
  boundary: 'boundary',
  maxDuration: 'max-duration',
  maxEvents: 'max-events',
  midnight: 'midnight',
  split: 'split',
  preset: 'preset',
  user: 'user',
  excludeOver: 'exclude-over',
  excludeColumn: 'exclude-col',
  excludeContains: 'exclude-has',
  compare: 'compare',
  displayZone: 'tz',
  mapping: { user: 'col-user', timestamp: 'col-ts', time: 'col-time', url: 'col-url', format: 'ts-format' },
} as const;

const RULE_KEYS = [URL_KEYS.boundary, URL_KEYS.maxDuration, URL_KEYS.maxEvents, URL_KEYS.midnight, URL_KEYS.split];
const MAPPING_FIELDS = Object.keys(URL_KEYS.mapping) as (keyof typeof URL_KEYS.mapping)[];

export const DEFAULT_URL_SETTINGS: UrlSettings = {
  gapMinutes: DEFAULT_GAP_MINUTES,
  rules: NO_RULES,
  preset: null,
  mapping: null,
  user: null,
  userFilters: NO_USER_FILTERS,
  compareGapMinutes: null,
  displayTimeZone: 'UTC',
};

/** A positive number (a whole one when `integer`), or a problem naming the key. */
function positive(params: URLSearchParams, key: string, integer: boolean, problems: string[]): number | null {
  const text = params.get(key);
  if (text === null || text === '') return null;
  const n = Number(text);
  if (Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))) return n;
  problems.push(`${key}=${text} in the address was ignored: expected a ${integer ? 'whole number' : 'number'} above zero.`);
  return null;
}

/** The settings a page address carries, with a sentence for each value that was ignored. */
export function readUrlSettings(search: string): { settings: UrlSettings; problems: string[] } {
  const params = new URLSearchParams(search);
  const problems: string[] = [];

  let gapMinutes = DEFAULT_GAP_MINUTES;
  const gap = params.get(URL_KEYS.gap);
  if (gap !== null) {
    const parsed = parseGapMinutes(gap);
    if (parsed.ok) gapMinutes = parsed.minutes;
    else problems.push(`?gap=${gap} in the address was ignored: ${parsed.problem}. Using ${DEFAULT_GAP_MINUTES} minutes.`);
  }

  const presetText = params.get(URL_KEYS.preset);
  const preset = presetText === null ? null : presetText === 'custom' ? 'custom' : (PRESETS.find((p) => p.id === presetText)?.id ?? null);
  if (presetText !== null && preset === null)
    problems.push(`preset=${presetText} in the address was ignored: no such preset (${PRESETS.map((p) => p.id).join(', ')}).`);

  let rules: SessionRules = NO_RULES;
  const presetOnly = preset !== null && preset !== 'custom' && !RULE_KEYS.some((k) => params.has(k));
  const chosen = PRESETS.find((p) => p.id === preset);
  if (presetOnly && chosen) {
    // A hand-written link (?preset=matomo): the preset's own rules, midnight in UTC.
    rules = presetRules(chosen, 'UTC', null);
    if (gap === null) gapMinutes = chosen.gapMinutes;
  } else {
    const boundary = params.get(URL_KEYS.boundary);
    if (boundary !== null && boundary !== 'ge' && boundary !== 'gt') problems.push(`boundary=${boundary} in the address was ignored: expected ge or gt.`);
    const zone = params.get(URL_KEYS.midnight);
    if (zone !== null && zone !== '' && !isTimeZone(zone)) problems.push(`midnight=${zone} in the address was ignored: not a time zone this browser knows.`);
    const split = params.get(URL_KEYS.split);
    rules = {
      boundary: boundary === 'gt' ? 'gt' : 'ge',
      maxDurationMinutes: positive(params, URL_KEYS.maxDuration, false, problems),
      maxEvents: positive(params, URL_KEYS.maxEvents, true, problems),
      midnightTimeZone: zone !== null && zone !== '' && isTimeZone(zone) ? zone : null,
      splitColumn: split === null || split === '' ? null : split,
    };
  }

  let mapping: Partial<ColumnMapping> | null = null;
  for (const field of MAPPING_FIELDS) {
    const value = params.get(URL_KEYS.mapping[field]);
    if (value === null) continue;
    if (field === 'format') {
      if ((TIMESTAMP_FORMATS as readonly string[]).includes(value)) mapping = { ...(mapping ?? {}), format: value as TimestampFormat };
      else problems.push(`ts-format=${value} in the address was ignored: expected one of ${TIMESTAMP_FORMATS.join(', ')}.`);
    } else if (value !== '' || field === 'time' || field === 'url') {
      mapping = { ...(mapping ?? {}), [field]: value };
    }
  }

  const user = params.get(URL_KEYS.user);
  const excludeColumn = params.get(URL_KEYS.excludeColumn);
  const excludeContains = params.get(URL_KEYS.excludeContains);
  const userFilters: UserFilters = {
    maxEventsPerUser: positive(params, URL_KEYS.excludeOver, true, problems),
    columnMatch: excludeColumn && excludeContains ? { column: excludeColumn, contains: excludeContains } : null,
  };
  if ((excludeColumn === null) !== (excludeContains === null))
    problems.push(`${URL_KEYS.excludeColumn} and ${URL_KEYS.excludeContains} in the address go together; one alone was ignored.`);
  const compareGapMinutes = positive(params, URL_KEYS.compare, false, problems);
  const zone = params.get(URL_KEYS.displayZone);
  if (zone !== null && zone !== '' && !isTimeZone(zone)) problems.push(`tz=${zone} in the address was ignored: not a time zone this browser knows.`);
  const displayTimeZone = zone !== null && zone !== '' && isTimeZone(zone) ? zone : 'UTC';
  return {
    settings: { gapMinutes, rules, preset, mapping, user: user === null || user === '' ? null : user, userFilters, compareGapMinutes, displayTimeZone },
    problems,
  };
}

/**
 * The address's parameters with these settings: `into`'s other keys kept, defaults left
 * out (rules off, no preset), so an untouched page keeps a short address.
 */
export function writeUrlSettings(settings: UrlSettings, into: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(into);
  const put = (key: string, value: string | null) => {
    if (value === null) params.delete(key);
    else params.set(key, value);
  };
  const { rules, mapping } = settings;
  put(URL_KEYS.gap, String(settings.gapMinutes));
  put(URL_KEYS.boundary, rules.boundary === 'gt' ? 'gt' : null);
  put(URL_KEYS.maxDuration, rules.maxDurationMinutes === null ? null : String(rules.maxDurationMinutes));
  put(URL_KEYS.maxEvents, rules.maxEvents === null ? null : String(rules.maxEvents));
  put(URL_KEYS.midnight, rules.midnightTimeZone);
  put(URL_KEYS.split, rules.splitColumn);
  put(URL_KEYS.preset, settings.preset === null || settings.preset === 'custom' ? null : settings.preset);
  for (const field of MAPPING_FIELDS) put(URL_KEYS.mapping[field], mapping?.[field] ?? null);
  put(URL_KEYS.user, settings.user);
  const { maxEventsPerUser, columnMatch } = settings.userFilters;
  put(URL_KEYS.excludeOver, maxEventsPerUser === null ? null : String(maxEventsPerUser));
  put(URL_KEYS.excludeColumn, columnMatch?.column ?? null);
  put(URL_KEYS.excludeContains, columnMatch?.contains ?? null);
  put(URL_KEYS.compare, settings.compareGapMinutes === null ? null : String(settings.compareGapMinutes));
  put(URL_KEYS.displayZone, settings.displayTimeZone === 'UTC' ? null : settings.displayTimeZone);
  return params;
}

/** Whether the rules are the defaults (nothing to apply from a link). */
export function rulesAreDefault(rules: SessionRules): boolean {
  return (Object.keys(NO_RULES) as (keyof SessionRules)[]).every((k) => rules[k] === NO_RULES[k]);
}
