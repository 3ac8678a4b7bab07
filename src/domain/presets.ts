import type { SessionRules } from './rules';
import { NO_RULES } from './rules';

/*
 * How analytics products count sessions, as their documentation states it. Each preset sets
 * the threshold and the rules; `source` names the document and section, and `caveat` says
 * what of the product's behaviour a file alone cannot reproduce. Products that let users
 * change a setting (GA4's timeout, Matomo's visit length) are given their defaults.
 */

export type PresetId = 'custom' | 'ga4' | 'universal-analytics' | 'adobe' | 'mixpanel' | 'posthog' | 'matomo' | 'amplitude';

export interface Preset {
  id: Exclude<PresetId, 'custom'>;
  label: string;
  gapMinutes: number;
  /** The rules; a midnight split uses the zone chosen on the page (the property's zone). */
  rules: Omit<SessionRules, 'midnightTimeZone' | 'splitColumn'> & { midnight: boolean; splitOnCampaign: boolean };
  source: string;
  caveat: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'ga4',
    label: 'Google Analytics 4',
    gapMinutes: 30,
    rules: { ...NO_RULES, midnight: false, splitOnCampaign: false },
    source:
      'Google Analytics Help, "[GA4] About Analytics sessions": a session ends after 30 minutes of inactivity (adjustable); GA4 does not start a new session at midnight or on a campaign change.',
    caveat: 'GA4 counts session_start events and estimates totals (HyperLogLog++); engaged sessions and the adjustable timeout are not in a file.',
  },
  {
    id: 'universal-analytics',
    label: 'Universal Analytics',
    gapMinutes: 30,
    rules: { ...NO_RULES, maxEvents: 500, midnight: true, splitOnCampaign: true },
    source:
      'Google Analytics Help, "How a web session is defined in Universal Analytics": 30 minutes of inactivity, at midnight (view time zone), on a campaign change; Analytics limits and quotas: 500 hits per session.',
    caveat: 'Hits beyond 500 are not recorded by UA (here they start a new session); the campaign column must hold utm_source/medium/campaign values.',
  },
  {
    id: 'adobe',
    label: 'Adobe Analytics',
    gapMinutes: 30,
    rules: { ...NO_RULES, maxDurationMinutes: 12 * 60, maxEvents: 2500, midnight: false, splitOnCampaign: false },
    source: 'Adobe Experience League, Analytics "Visits" metric: a visit ends after 30 minutes of inactivity, 12 hours of activity, or 2,500 hits.',
    caveat: 'Adobe can be configured per report suite (visit timeout, mobile visits); hits after 2,500 are counted in a new visit.',
  },
  {
    id: 'mixpanel',
    label: 'Mixpanel',
    gapMinutes: 30,
    rules: { ...NO_RULES, midnight: true, splitOnCampaign: false },
    source: 'Mixpanel Docs, "Sessions": timeout-based sessions, 30 minutes by default; a session does not span midnight in the project time zone.',
    caveat: 'Mixpanel also offers event-based sessions (start/end events), which a file cannot tell apart.',
  },
  {
    id: 'posthog',
    label: 'PostHog',
    gapMinutes: 30,
    rules: { ...NO_RULES, maxDurationMinutes: 24 * 60, midnight: false, splitOnCampaign: false },
    source: 'PostHog Docs, "Sessions": a session ends after 30 minutes of inactivity and lasts at most 24 hours.',
    caveat: 'PostHog assigns $session_id in the browser; events sent without one are not sessionized by it.',
  },
  {
    id: 'matomo',
    label: 'Matomo',
    gapMinutes: 30,
    rules: { ...NO_RULES, boundary: 'gt', midnight: true, splitOnCampaign: true },
    source:
      'Matomo FAQ "How is a visit defined?" and core/Tracker/Visit.php: a new visit when the last action was more than 30 minutes ago (visit_standard_length = 1800 s), at midnight in the site time zone, and on a campaign change.',
    caveat: 'Matomo also starts a new visit when the visitor id or user id changes; both settings can be changed by the site.',
  },
  {
    id: 'amplitude',
    label: 'Amplitude',
    gapMinutes: 30,
    rules: { ...NO_RULES, midnight: false, splitOnCampaign: false },
    source: 'Amplitude Docs, "Track sessions": the Browser SDK ends a session after 30 minutes without events (mobile SDKs: 5 minutes).',
    caveat: 'Amplitude uses the session_id the SDK sends; server-side events without one have session_id -1 and no session.',
  },
];

/** The rules a preset sets, with the page's time zone and campaign column filled in. */
export function presetRules(preset: Preset, timeZone: string, campaignColumn: string | null): SessionRules {
  const { midnight, splitOnCampaign, ...rest } = preset.rules;
  return { ...rest, midnightTimeZone: midnight ? timeZone : null, splitColumn: splitOnCampaign ? campaignColumn : null };
}

const CAMPAIGN_NAMES = ['utmcampaign', 'campaign', 'utmsource', 'source', 'referrer', 'referer', 'trafficsource', 'utmmedium'];

/** The column a campaign-change rule should watch, by name, or null. */
export function detectCampaignColumn(columns: readonly string[]): string | null {
  const norm = (c: string) => c.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const name of CAMPAIGN_NAMES) {
    const found = columns.find((c) => norm(c) === name);
    if (found) return found;
  }
  return null;
}
