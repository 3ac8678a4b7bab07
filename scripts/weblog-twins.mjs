// @ts-check
/**
 * Writes one generated clickstream as four twins that hold the same events: a plain CSV, an
 * Apache/Nginx access log in the combined format, one in the common format, and a CloudFront
 * access log (W3C extended, tab-separated, date and time in UTC). Each user gets one client
 * IP (users numbered in order of first appearance: 10.0.0.1, 10.0.0.2, …), so the twins have
 * the same sessions under other user ids. Logs keep whole seconds, so the CSV twin's
 * timestamps are cut to the second too.
 *
 *   node scripts/weblog-twins.mjs --out dir [--events 2000] [--seed 14]
 *
 * writes dir/clicks.csv, dir/access-combined.log, dir/access-common.log, dir/cloudfront.log.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateClickstream } from './clickstream-generator.mjs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** @type {Record<string, string>} */
const AGENTS = {
  mobile: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  desktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  tablet: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
};
/** A user agent with quotes in it, written as Apache escapes them (every QUOTED_EVERY-th line of the combined log). */
export const QUOTED_AGENT = 'Mozilla/5.0 (compatible; "Quoted" Bot/1.0; +https://example.com/bot)';
export const QUOTED_EVERY = 97;

export const CLOUDFRONT_FIELDS = Object.freeze(
  'date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end'.split(
    ' ',
  ),
);

/** @param {number} n @param {number} width */
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * `10/Oct/2000:13:55:36 -0700`: the instant in the zone `offsetMinutes` east of UTC.
 * @param {number} ms @param {number} offsetMinutes
 */
export function clfTime(ms, offsetMinutes) {
  const d = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${zone}`;
}

/** @param {number} k the user's number from 1 */
export function ipOfUserNumber(k) {
  return `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
}

/**
 * @typedef {object} WeblogTwins
 * @property {string} csv `user_id,timestamp,url,referrer,device`, timestamps in whole seconds (UTC)
 * @property {string} combined
 * @property {string} common
 * @property {string} cloudfront
 * @property {Map<string, string>} ipOfUser each user id's client IP
 */

/**
 * @param {{ seed: number, events: number, users?: number }} options
 * @returns {WeblogTwins}
 */
export function weblogTwins({ seed, events, users }) {
  const lines = [...generateClickstream({ seed, events, ...(users === undefined ? {} : { users }), outOfOrder: 0.02 })];
  const header = lines.shift();
  if (header !== 'user_id,timestamp,url,referrer,device') throw new Error(`unexpected header ${header}`);
  /** @type {Map<string, string>} */
  const ipOfUser = new Map();
  const csv = [header];
  const combined = [];
  const common = [];
  const cloudfront = ['#Version: 1.0', `#Fields: ${CLOUDFRONT_FIELDS.join(' ')}`];
  lines.forEach((line, i) => {
    const fields = line.split(',');
    if (fields.length !== 5) throw new Error(`line ${i + 2} has ${fields.length} fields: ${line}`);
    const [user = '', timestamp = '', url = '', referrer = '', device = ''] = fields;
    let ip = ipOfUser.get(user);
    if (ip === undefined) {
      ip = ipOfUserNumber(ipOfUser.size + 1);
      ipOfUser.set(user, ip);
    }
    const ms = Math.floor(Date.parse(timestamp) / 1000) * 1000;
    const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
    csv.push([user, iso, url, referrer, device].join(','));
    const agent = i % QUOTED_EVERY === QUOTED_EVERY - 1 ? QUOTED_AGENT : (AGENTS[device] ?? AGENTS.desktop ?? '');
    const referer = referrer === '' ? '-' : `https://${referrer}.example.com/`;
    const bytes = 200 + ((i * 7919) % 40_000);
    const escaped = (/** @type {string} */ text) => text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
    combined.push(`${ip} - - [${clfTime(ms, 120)}] "GET ${escaped(url)} HTTP/1.1" 200 ${bytes} "${escaped(referer)}" "${escaped(agent)}"`);
    common.push(`${ip} - ${i % 50 === 0 ? 'alice' : '-'} [${clfTime(ms, -420)}] "GET ${escaped(url)} HTTP/1.1" ${i % 40 === 0 ? '304 -' : `200 ${bytes}`}`);
    const [stem = '/', query = ''] = url.split(/\?(.*)/s);
    const day = iso.slice(0, 10);
    const clock = iso.slice(11, 19);
    cloudfront.push(
      [
        day,
        clock,
        'SEA19-C1',
        bytes,
        ip,
        'GET',
        'd111111abcdef8.cloudfront.net',
        stem,
        200,
        referer,
        encodeURI(agent),
        query === '' ? '-' : query,
        '-',
        'Hit',
        `req${pad(i, 8)}Qn5tBZfz-JX2Ww==`,
        'www.example.com',
        'https',
        120 + (i % 300),
        '0.002',
        '-',
        'TLSv1.3',
        'TLS_AES_128_GCM_SHA256',
        'Hit',
        'HTTP/2.0',
        '-',
        '-',
        40000 + (i % 20000),
        '0.002',
        'Hit',
        'text/html',
        bytes,
        '-',
        '-',
      ].join('\t'),
    );
  });
  const text = (/** @type {string[]} */ rows) => `${rows.join('\n')}\n`;
  return { csv: text(csv), combined: text(combined), common: text(common), cloudfront: text(cloudfront), ipOfUser };
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' }, events: { type: 'string', default: '2000' }, seed: { type: 'string', default: '14' } } });
  if (!values.out) throw new Error('--out DIR is required');
  const twins = weblogTwins({ seed: Number(values.seed), events: Number(values.events) });
  await mkdir(values.out, { recursive: true });
  await writeFile(path.join(values.out, 'clicks.csv'), twins.csv);
  await writeFile(path.join(values.out, 'access-combined.log'), twins.combined);
  await writeFile(path.join(values.out, 'access-common.log'), twins.common);
  await writeFile(path.join(values.out, 'cloudfront.log'), twins.cloudfront);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
