// @ts-check
/**
 * Deterministic twins of one clickstream in the export shapes of the analytics products
 * (Mixpanel, Segment, Amplitude, GA4 BigQuery, Snowplow), each as NDJSON and as a
 * pretty-printed JSON array, beside the plain CSV they come from. Every twin holds the same
 * events: the same user, instant and page, so it must give the same figures and session ids
 * as the CSV. Timestamps are whole seconds (Mixpanel's `time` is epoch seconds), and one row
 * has no user (skipped in every twin alike).
 *
 *   node scripts/vendor-json.mjs [outDir] [events] [seed]   writes the files to outDir
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClickstream } from './clickstream-generator.mjs';

/** @typedef {{ user: string, ms: number, url: string, referrer: string, device: string }} PlainEvent */
/** @typedef {{ name: string, text: string }} TwinFile */

export const VENDORS = Object.freeze(['mixpanel', 'segment', 'amplitude', 'ga4', 'snowplow']);

/**
 * The events of a generated clickstream, rounded to whole seconds, plus one without a user.
 * @param {{ seed: number | string, events: number }} options
 * @returns {PlainEvent[]}
 */
export function plainEvents({ seed, events }) {
  /** @type {PlainEvent[]} */
  const out = [];
  let header = true;
  for (const line of generateClickstream({ seed, events })) {
    if (header) {
      header = false;
      continue;
    }
    const [user = '', timestamp = '', url = '', referrer = '', device = ''] = line.split(',');
    out.push({ user, ms: Math.floor(Date.parse(timestamp) / 1000) * 1000, url, referrer, device });
  }
  const first = out[0];
  if (first) out.splice(Math.floor(out.length / 2), 0, { ...first, user: '' });
  return out;
}

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();
/** @param {number} ms "2024-05-01 10:00:00" and `digits` fraction digits */
const sqlTime = (ms, digits) => {
  const [date, time] = iso(ms).slice(0, 19).split('T');
  return `${date} ${time}${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`;
};
/** A stable short hash of a string, for ids derived from the user. */
const hash = (/** @type {string} */ s) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
};

/**
 * One event in a product's export shape.
 * @param {string} vendor
 * @param {PlainEvent} e
 * @param {number} i
 * @returns {Record<string, unknown>}
 */
export function vendorRecord(vendor, e, i) {
  switch (vendor) {
    case 'mixpanel':
      return {
        event: 'page_view',
        properties: {
          time: e.ms / 1000,
          distinct_id: e.user,
          $insert_id: `ins${i}`,
          $current_url: e.url,
          mp_lib: 'web',
          $device: e.device,
          utm_source: e.referrer || null,
        },
      };
    case 'segment': {
      // Users whose id hashes even are signed in (userId, and a device's anonymousId); the
      // others are anonymous: no userId (or an empty one), their id in anonymousId.
      const signedIn = e.user !== '' && Number.parseInt(hash(e.user).slice(-1), 16) % 2 === 0;
      /** @type {Record<string, unknown>} */
      const record = {
        type: 'page',
        messageId: `msg-${i}`,
        anonymousId: signedIn ? `anon-${hash(e.user)}` : e.user,
        timestamp: iso(e.ms),
        context: { page: { url: `https://shop.example${e.url}`, referrer: e.referrer }, userAgent: e.device },
        properties: { path: e.url },
      };
      if (signedIn) record.userId = e.user;
      else if (i % 3 === 0) record.userId = i % 2 === 0 ? '' : null;
      return record;
    }
    case 'amplitude':
      return {
        event_type: 'page_view',
        user_id: e.user === '' ? null : e.user,
        device_id: `dev-${hash(e.user)}`,
        amplitude_id: 1_000_000 + i,
        event_time: sqlTime(e.ms, 6),
        event_properties: { page_url: e.url, referrer: e.referrer },
        user_properties: { device: e.device },
      };
    case 'ga4':
      return {
        event_date: iso(e.ms).slice(0, 10).replaceAll('-', ''),
        event_timestamp: String(e.ms * 1000),
        event_name: 'page_view',
        event_params: [
          { key: 'page_location', value: { string_value: `https://shop.example${e.url}` } },
          { key: 'ga_session_number', value: { int_value: '1' } },
        ],
        user_id: null,
        user_pseudo_id: e.user,
        device: { category: e.device },
        traffic_source: { source: e.referrer || '(direct)' },
      };
    case 'snowplow':
      return {
        app_id: 'shop',
        event: 'page_view',
        event_id: `ev-${i}`,
        domain_userid: e.user,
        collector_tstamp: sqlTime(e.ms + 250, 3),
        derived_tstamp: sqlTime(e.ms, 3),
        page_urlpath: e.url,
        refr_medium: e.referrer,
      };
    default:
      throw new Error(`unknown vendor ${vendor}`);
  }
}

/**
 * The plain CSV and, for each product, its NDJSON and JSON-array twins.
 * @param {{ seed: number | string, events: number }} options
 * @returns {{ csv: TwinFile, twins: (TwinFile & { vendor: string, layout: 'ndjson' | 'array' })[] }}
 */
export function vendorTwins(options) {
  const events = plainEvents(options);
  const csv = ['user_id,timestamp,url,referrer,device', ...events.map((e) => [e.user, iso(e.ms), e.url, e.referrer, e.device].join(','))].join('\n');
  const twins = VENDORS.flatMap((vendor) => {
    const records = events.map((e, i) => vendorRecord(vendor, e, i));
    return [
      { vendor, layout: /** @type {const} */ ('ndjson'), name: `${vendor}.ndjson`, text: `${records.map((r) => JSON.stringify(r)).join('\n')}\n` },
      { vendor, layout: /** @type {const} */ ('array'), name: `${vendor}.json`, text: `${JSON.stringify(records, null, 2)}\n` },
    ];
  });
  return { csv: { name: 'plain.csv', text: `${csv}\n` }, twins };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [outDir = 'vendor-json', events = '2000', seed = 'vendor-json'] = process.argv.slice(2);
  mkdirSync(outDir, { recursive: true });
  const { csv, twins } = vendorTwins({ seed, events: Number(events) });
  for (const file of [csv, ...twins]) writeFileSync(join(outDir, file.name), file.text);
  console.log(`wrote ${twins.length + 1} files to ${outDir}`);
}
