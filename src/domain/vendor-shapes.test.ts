import { describe, expect, it } from 'vitest';
import { sniffFile } from './sniff-file';
import { recognizeVendor, SEGMENT_USER_COLUMN } from './vendor-shapes';

describe('recognizeVendor', () => {
  it.each([
    [['event', 'properties.time', 'properties.distinct_id', 'properties.$os'], 'Mixpanel', 'properties.distinct_id'],
    [['type', 'messageId', 'anonymousId', 'userId', 'timestamp', SEGMENT_USER_COLUMN], 'Segment', SEGMENT_USER_COLUMN],
    [['type', 'messageId', 'anonymousId', 'timestamp'], 'Segment', 'anonymousId'],
    [['event_type', 'user_id', 'device_id', 'event_time'], 'Amplitude', 'user_id'],
    [['event_date', 'event_timestamp', 'event_name', 'user_id', 'user_pseudo_id'], 'GA4 BigQuery', 'user_pseudo_id'],
    [['app_id', 'domain_userid', 'derived_tstamp'], 'Snowplow', 'domain_userid'],
  ])('%j is a %s export, its user %s', (columns, vendor, user) => {
    expect(recognizeVendor(columns)).toMatchObject({ vendor, user });
  });

  it('needs every required column: a lone user_id and event_time are no Amplitude export', () => {
    expect(recognizeVendor(['user_id', 'event_time', 'url'])).toBeNull();
    expect(recognizeVendor(['properties.distinct_id', 'properties.time'])).toBeNull();
  });
});

describe('sniffing JSON', () => {
  const sniff = (name: string, text: string) => sniffFile(name, new TextEncoder().encode(text), text.length);
  it.each([
    ['events.json', '[\n  {"a": 1}\n]\n', 'ndjson'],
    ['events.json', '[{"a":1},{"a":2}]', 'ndjson'],
    ['export', '[\n{"a":1}]', 'ndjson'],
    ['events.ndjson', 'oops\n{"a":1}\n', 'ndjson'],
    ['events.json', 'garbage first\n{"a":1}\n', 'ndjson'],
    ['clicks.csv', '[user],ts\nu,2024-05-01\n', 'delimited'],
    ['clicks.txt', '[user],ts\nu,2024-05-01\n', 'delimited'],
  ])('%s starting %j is read as %s', (name, text, kind) => {
    const s = sniff(name, text);
    expect(s.ok && s.kind).toBe(kind);
  });

  it('a JSON file with a byte that is not UTF-8 stays UTF-8 JSON (the line is set aside when read)', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('{"a":"caf'), 0xe9, ...new TextEncoder().encode('"}\n{"a":1}\n')]);
    expect(sniffFile('x.ndjson', bytes, bytes.length)).toEqual({ ok: true, kind: 'ndjson', encoding: 'utf-8', note: null });
  });
});
