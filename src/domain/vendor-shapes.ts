/*
 * Exports of the analytics products, known by their column names (JSON paths once
 * flattened, see src/ingest/json-records.ts), with the columns each product documents for
 * the user, the time and the page. A shape is recognised only when every column it
 * requires is there; the mapping then takes the product's columns, whatever the generic
 * detection would have guessed (a GA4 export has a user_id column that is mostly empty).
 */

export interface VendorShape {
  vendor: string;
  /** Columns that must all be present for the shape to be recognised. */
  requires: readonly string[];
  user: string;
  timestamp: string;
  /** Page columns in order of preference (the first present is taken). */
  urls: readonly string[];
  /** What the page says about the product's columns, after "Recognised a … export". */
  about: string;
}

/** Segment's user: userId, or anonymousId where userId is empty (events before identify). Added by the reader. */
export const SEGMENT_USER_COLUMN = 'userId_or_anonymousId';

/** Where a Segment event's page is, best first (page calls carry the url, track calls only a name). */
const SEGMENT_URLS = ['context.page.url', 'properties.url', 'context.page.path', 'properties.path', 'name', 'event'];

export const VENDOR_SHAPES: readonly VendorShape[] = [
  {
    vendor: 'Mixpanel',
    requires: ['event', 'properties.distinct_id', 'properties.time'],
    user: 'properties.distinct_id',
    timestamp: 'properties.time',
    urls: ['properties.$current_url', 'event'],
    about: 'properties.time is epoch time in UTC',
  },
  {
    vendor: 'Segment',
    requires: ['anonymousId', 'timestamp', 'messageId', SEGMENT_USER_COLUMN],
    user: SEGMENT_USER_COLUMN,
    timestamp: 'timestamp',
    urls: SEGMENT_URLS,
    about: `${SEGMENT_USER_COLUMN} is userId, or anonymousId where userId is empty (events before identify); pick userId or anonymousId under Columns to use one alone`,
  },
  {
    // Segment without any userId: every event is anonymous.
    vendor: 'Segment',
    requires: ['anonymousId', 'timestamp', 'messageId'],
    user: 'anonymousId',
    timestamp: 'timestamp',
    urls: SEGMENT_URLS,
    about: 'no event has a userId, so sessions are per anonymousId (one browser or device)',
  },
  {
    vendor: 'Amplitude',
    requires: ['user_id', 'event_time', 'event_type', 'device_id'],
    user: 'user_id',
    timestamp: 'event_time',
    urls: ['event_properties.page_url', 'event_properties.url', 'event_type'],
    about: 'event_time is UTC; events without a user_id are skipped (device_id holds the device, if you want it instead)',
  },
  {
    vendor: 'GA4 BigQuery',
    requires: ['user_pseudo_id', 'event_timestamp', 'event_name'],
    user: 'user_pseudo_id',
    timestamp: 'event_timestamp',
    urls: ['page_location', 'event_name'],
    about: 'event_timestamp is epoch microseconds in UTC; page_location, where the export has it, is inside event_params',
  },
  {
    vendor: 'Snowplow',
    requires: ['domain_userid', 'derived_tstamp'],
    user: 'domain_userid',
    timestamp: 'derived_tstamp',
    urls: ['page_urlpath', 'page_url', 'event_name', 'event'],
    about: 'derived_tstamp is UTC, corrected for the device clock',
  },
];

/** The first shape whose required columns are all present. */
export function recognizeVendor(columns: readonly string[]): VendorShape | null {
  const present = new Set(columns);
  return VENDOR_SHAPES.find((shape) => shape.requires.every((c) => present.has(c))) ?? null;
}

/** Whether a column is one a vendor shape looks for (profiled even in very wide files). */
export function isVendorColumn(column: string): boolean {
  return VENDOR_SHAPES.some((s) => s.requires.includes(column) || s.urls.includes(column));
}
