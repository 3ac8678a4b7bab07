// @ts-check
/**
 * Writes the bundled sample (public/sample/clicks-sample.csv and its README.md), or, given
 * --events, a clickstream of any size for benchmarks, streamed to a file.
 *
 *   node scripts/generate-sample.mjs
 *   node scripts/generate-sample.mjs --events 10000000 --seed 7 --out bench/data/clicks-10m.csv
 *     [--users N] [--bots N] [--out-of-order 0.01] [--format iso|dmy|mdy|clf|epoch-s|epoch-ms|epoch-us]
 *
 * `--out -` writes to standard output. The sample is checked against a fresh generation by
 * scripts/clickstream-generator.test.ts, so edit this script (and run it) rather than the files.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { COLUMNS, MAX_LATE_MS, Rng, TIMESTAMP_FORMATS, deriveSeed, generateClickstream, hashSeed, userId } from './clickstream-generator.mjs';

/** @typedef {import('./clickstream-generator.mjs').ClickstreamOptions} ClickstreamOptions */
/** @typedef {import('./clickstream-generator.mjs').TimestampFormat} TimestampFormat */

/** The generator options of the bundled sample. */
export const SAMPLE_OPTIONS = Object.freeze({ seed: 20240501, events: 40_000, users: 3_000, outOfOrder: 0.02 });

/** Bad rows added to the sample so the page's skipped-rows display has something to show. */
export const SAMPLE_BAD_ROWS = Object.freeze({ missingUser: 3, unreadableTimestamp: 2 });

export const UNREADABLE_TIMESTAMP = 'not-a-time';

const SAMPLE_DIR = fileURLToPath(new URL('../public/sample/', import.meta.url));
export const SAMPLE_CSV_PATH = path.join(SAMPLE_DIR, 'clicks-sample.csv');
export const SAMPLE_README_PATH = path.join(SAMPLE_DIR, 'README.md');

/** Inactivity threshold of the session count given in the README (the page's default). */
const README_GAP_MINUTES = 30;

/**
 * @typedef {object} BadRow
 * @property {number} row 1-based among the data rows (the header is not counted)
 * @property {'missing user id' | 'unreadable timestamp'} reason
 * @property {string} line
 */

/**
 * @typedef {object} SampleStats
 * @property {number} rows data rows (header not counted)
 * @property {number} events valid rows
 * @property {number} users distinct users among the valid rows
 * @property {BadRow[]} badRows
 * @property {number} outOfOrderRows valid rows whose timestamp is earlier than the latest one above them
 * @property {number} sessions sessions at a 30-minute threshold (a gap of 30 minutes or more splits)
 * @property {string} first earliest timestamp
 * @property {string} last latest timestamp
 * @property {number} bytes size of the CSV file
 */

/**
 * The sample: the generator's lines with the bad rows spliced in, plus its figures.
 * @returns {{ csv: string, readme: string, stats: SampleStats }}
 */
export function buildSample() {
  const lines = [...generateClickstream(SAMPLE_OPTIONS)];
  const data = lines.slice(1);

  // Each bad row copies the valid row before it, with the user or the timestamp spoiled.
  const rng = new Rng(deriveSeed(hashSeed(SAMPLE_OPTIONS.seed), 0xbad));
  /** @type {BadRow['reason'][]} */
  const reasons = [
    ...Array.from({ length: SAMPLE_BAD_ROWS.missingUser }, () => /** @type {const} */ ('missing user id')),
    ...Array.from({ length: SAMPLE_BAD_ROWS.unreadableTimestamp }, () => /** @type {const} */ ('unreadable timestamp')),
  ];
  /** @type {Map<number, BadRow['reason']>} */
  const after = new Map();
  for (const reason of reasons) {
    let at;
    do at = 100 + rng.int(data.length - 200);
    while (after.has(at));
    after.set(at, reason);
  }
  /** @type {string[]} */
  const rows = [];
  /** @type {BadRow[]} */
  const badRows = [];
  data.forEach((line, i) => {
    rows.push(line);
    const reason = after.get(i);
    if (!reason) return;
    const fields = line.split(',');
    if (reason === 'missing user id') fields[0] = '';
    else fields[1] = UNREADABLE_TIMESTAMP;
    const bad = fields.join(',');
    rows.push(bad);
    badRows.push({ row: rows.length, reason, line: bad });
  });
  const csv = `${[/** @type {string} */ (lines[0]), ...rows].join('\n')}\n`;
  const stats = describe(rows, badRows, Buffer.byteLength(csv));
  return { csv, readme: readme(stats), stats };
}

/**
 * @param {string[]} rows
 * @param {BadRow[]} badRows
 * @param {number} bytes
 * @returns {SampleStats}
 */
function describe(rows, badRows, bytes) {
  const badAt = new Set(badRows.map((b) => b.row));
  /** @type {Map<string, number[]>} */
  const byUser = new Map();
  let latest = -Infinity;
  let earliest = Infinity;
  let outOfOrderRows = 0;
  rows.forEach((line, i) => {
    if (badAt.has(i + 1)) return;
    const [user = '', timestamp = ''] = line.split(',');
    const t = Date.parse(timestamp);
    if (t < latest) outOfOrderRows++;
    latest = Math.max(latest, t);
    earliest = Math.min(earliest, t);
    const times = byUser.get(user);
    if (times) times.push(t);
    else byUser.set(user, [t]);
  });
  let sessions = 0;
  for (const times of byUser.values()) {
    times.sort((a, b) => a - b);
    sessions++;
    for (let i = 1; i < times.length; i++) {
      if (/** @type {number} */ (times[i]) - /** @type {number} */ (times[i - 1]) >= README_GAP_MINUTES * 60_000) sessions++;
    }
  }
  return {
    rows: rows.length,
    events: rows.length - badRows.length,
    users: byUser.size,
    badRows,
    outOfOrderRows,
    sessions,
    first: new Date(earliest).toISOString(),
    last: new Date(latest).toISOString(),
    bytes,
  };
}

/**
 * @param {SampleStats} s
 * @returns {string}
 */
function readme(s) {
  const o = SAMPLE_OPTIONS;
  const bad = s.badRows.map((b) => `| ${b.row} | ${b.row + 1} | ${b.reason} | \`${b.line}\` |`).join('\n');
  return `# Bundled sample clickstream

\`clicks-sample.csv\` is the dataset behind the page's "Try the sample" button
(\`[data-testid=load-sample]\`). It is synthetic: no real person's clicks.

This file and the CSV are written by \`npm run sample\` (\`node scripts/generate-sample.mjs\`)
with the seeded generator in \`scripts/clickstream-generator.mjs\`. Do not edit either by hand:
\`scripts/clickstream-generator.test.ts\` fails when they differ from a fresh generation.

## How it was generated

\`generateClickstream({ seed: ${o.seed}, events: ${o.events}, users: ${o.users}, outOfOrder: ${o.outOfOrder} })\`,
then ${s.badRows.length} bad rows were inserted (each a copy of the row above it with the user id
emptied or the timestamp replaced by \`${UNREADABLE_TIMESTAMP}\`).

- ${o.users} users over 28 days from 2024-05-01 UTC: activity is heavy-tailed (a few users
  with hundreds of events, most with a handful in 1 to 3 sessions), with a daily rhythm.
- About one user in a thousand is a bot (a crawler, an uptime monitor or a scraper) that
  hits the site at a fixed period around the clock; bots make about 8% of the events.
- Within a session, events are seconds to a few minutes apart; sessions of a user are at
  least 40 minutes and usually hours to days apart. A few events share a timestamp.
- ${o.outOfOrder * 100}% of the rows were written late (by 1 second to ${MAX_LATE_MS / 60_000} minutes), as when logs of
  several servers are merged, so the file is not quite in time order.

## Columns

| column | content |
| --- | --- |
| \`user_id\` | \`${userId(0, o.users)}\` to \`${userId(o.users - 1, o.users)}\`; empty in the bad rows below |
| \`timestamp\` | ISO 8601 in UTC with milliseconds, e.g. \`2024-05-01T10:00:00.123Z\` |
| \`url\` | path of the page: \`/\`, \`/products/<id>\`, \`/category/<slug>\`, \`/search?q=<terms>\`, \`/cart\`, \`/checkout\`, \`/checkout/complete\`, \`/blog/<slug>\`, \`/account\` (bots also \`/robots.txt\`, \`/sitemap.xml\`) |
| \`referrer\` | utm_source of a campaign (\`google\`, \`newsletter\`, \`facebook\`, ...) on some sessions' first event; empty on most rows |
| \`device\` | \`mobile\`, \`desktop\`, \`tablet\`, or \`bot\` |

No field contains a comma or a quote.

## Figures

| | |
| --- | --- |
| data rows (header not counted) | ${s.rows} |
| valid events | ${s.events} |
| distinct users | ${s.users} |
| skipped (bad) rows | ${s.badRows.length}: ${SAMPLE_BAD_ROWS.missingUser} missing user id, ${SAMPLE_BAD_ROWS.unreadableTimestamp} unreadable timestamp |
| sessions at a ${README_GAP_MINUTES}-minute threshold (a gap of ${README_GAP_MINUTES} minutes or more starts a new session) | ${s.sessions} |
| rows earlier than a row above them | ${s.outOfOrderRows} |
| first and last timestamp | ${s.first} to ${s.last} |
| file size | ${s.bytes} bytes |

## The bad rows

| data row | line in the file | why it is skipped | text |
| --- | --- | --- | --- |
${bad}
`;
}

/**
 * Writes lines to a stream in chunks, waiting whenever the stream asks to (backpressure).
 * @param {Iterable<string>} lines
 * @param {NodeJS.WritableStream} out
 */
export async function writeLines(lines, out) {
  /** @type {string[]} */
  let chunk = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === 4096) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  if (chunk.length > 0 && !out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
}

/**
 * @param {string} text
 * @returns {number | string}
 */
const parseSeed = (text) => (/^-?\d+$/.test(text) ? Number(text) : text);

/** @param {string[]} argv */
async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      seed: { type: 'string', default: '1' },
      users: { type: 'string' },
      bots: { type: 'string' },
      'out-of-order': { type: 'string', default: '0' },
      format: { type: 'string', default: 'iso' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`usage: node scripts/generate-sample.mjs                      (rewrites public/sample/)
       node scripts/generate-sample.mjs --events N [--seed S] [--users N] [--bots N]
            [--out-of-order F] [--format ${TIMESTAMP_FORMATS.join('|')}] [--out PATH|-]
columns: ${COLUMNS.join(',')}
`);
    return;
  }
  if (values.events === undefined) {
    const started = performance.now();
    const { csv, readme: text, stats } = buildSample();
    await mkdir(SAMPLE_DIR, { recursive: true });
    await writeFile(SAMPLE_CSV_PATH, csv);
    await writeFile(SAMPLE_README_PATH, text);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stderr.write(
      `wrote ${path.relative(process.cwd(), SAMPLE_CSV_PATH)}: ${stats.rows} rows, ${stats.events} events, ` +
        `${stats.users} users, ${stats.badRows.length} bad rows, ${stats.bytes} bytes in ${seconds} s\n`,
    );
    return;
  }

  /** @type {ClickstreamOptions} */
  const options = {
    seed: parseSeed(values.seed),
    events: Number(values.events),
    outOfOrder: Number(values['out-of-order']),
    format: /** @type {TimestampFormat} */ (values.format),
  };
  if (values.users !== undefined) options.users = Number(values.users);
  if (values.bots !== undefined) options.bots = Number(values.bots);
  const target = values.out ?? `bench/data/clicks-${options.events}-seed-${values.seed}.csv`;
  const lines = generateClickstream(options); // throws on bad options before anything is written
  const started = performance.now();
  if (target === '-') {
    await writeLines(lines, process.stdout);
    return;
  }
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const out = createWriteStream(target);
  const failed = new Promise((_, reject) => out.once('error', reject));
  await Promise.race([writeLines(lines, out), failed]);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`wrote ${options.events} events (${(out.bytesWritten / 1e6).toFixed(1)} MB) to ${target} in ${seconds.toFixed(2)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
