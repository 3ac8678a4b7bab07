// @ts-check
/**
 * The "no database" baseline: papaparse streaming the file (chunk callback, rows as
 * arrays) and a hand-written loop that groups timestamps by user, sorts each user's
 * events, and counts sessions at 30 minutes. Run as a child process by bench/run.mjs:
 *
 *   node bench/papaparse-loop.mjs load <file.csv>
 *     one end-to-end run, file opened -> session count.
 *   node bench/papaparse-loop.mjs thresholds <file.csv> <minutes,minutes,...>
 *     builds each event's gap to the user's previous event in a Float64Array (user, time
 *     order) once, then times one counting loop per threshold.
 *
 * Timestamps are read with Date.parse (milliseconds; the generated files carry
 * milliseconds, so nothing is lost on them). Rows with an empty user or an unreadable
 * timestamp are skipped, as the app does. Prints one JSON object on stdout.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { peakRssBytes, runBaseline } from './stats.mjs';

const THIRTY_MINUTES_MS = 30 * 60 * 1000;

/**
 * Reads the file into per-user arrays of epoch milliseconds.
 * @param {string} file
 * @returns {Promise<{ byUser: Map<string, number[]>, rows: number, events: number }>}
 */
function readByUser(file) {
  return new Promise((resolve, reject) => {
    /** @type {Map<string, number[]>} */
    const byUser = new Map();
    let userCol = -1;
    let tsCol = -1;
    let rows = 0;
    let events = 0;
    Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
      header: false,
      skipEmptyLines: true,
      /** @param {Papa.ParseResult<string[]>} results */
      chunk(results) {
        const data = results.data;
        let i = 0;
        if (userCol < 0) {
          const header = /** @type {string[]} */ (data[0]);
          userCol = header.indexOf('user_id');
          tsCol = header.indexOf('timestamp');
          if (userCol < 0 || tsCol < 0) reject(new Error(`no user_id/timestamp column in ${header.join(',')}`));
          i = 1;
        }
        for (; i < data.length; i++) {
          const row = /** @type {string[]} */ (data[i]);
          rows++;
          const user = row[userCol];
          if (!user || user.trim() === '') continue;
          const t = Date.parse(/** @type {string} */ (row[tsCol]));
          if (Number.isNaN(t)) continue;
          events++;
          const times = byUser.get(user);
          if (times) times.push(t);
          else byUser.set(user, [t]);
        }
      },
      complete: () => resolve({ byUser, rows, events }),
      error: reject,
    });
  });
}

/**
 * Sorts each user's events and counts sessions (a gap >= threshold starts one).
 * @param {Map<string, number[]>} byUser
 * @param {number} thresholdMs
 */
function countSessions(byUser, thresholdMs) {
  let sessions = 0;
  for (const times of byUser.values()) {
    times.sort((a, b) => a - b);
    sessions++;
    for (let i = 1; i < times.length; i++) {
      if (/** @type {number} */ (times[i]) - /** @type {number} */ (times[i - 1]) >= thresholdMs) sessions++;
    }
  }
  return sessions;
}

/** @param {string} file */
async function load(file) {
  const started = performance.now();
  const { byUser, rows, events } = await readByUser(file);
  const parsedMs = performance.now() - started;
  const sessions = countSessions(byUser, THIRTY_MINUTES_MS);
  const ms = performance.now() - started;
  return { ms, parseMs: parsedMs, rows, events, users: byUser.size, sessions, peakRssBytes: peakRssBytes() };
}

/**
 * @param {string} file
 * @param {number[]} minutes
 */
async function thresholds(file, minutes) {
  let started = performance.now();
  const { byUser, events } = await readByUser(file);
  const gaps = new Float64Array(events);
  let k = 0;
  for (const times of byUser.values()) {
    times.sort((a, b) => a - b);
    gaps[k++] = -1;
    for (let i = 1; i < times.length; i++) gaps[k++] = /** @type {number} */ (times[i]) - /** @type {number} */ (times[i - 1]);
  }
  byUser.clear();
  const prepareMs = performance.now() - started;
  /** @type {{ minutes: number, ms: number, sessions: number }[]} */
  const changes = [];
  for (const m of minutes) {
    const threshold = m * 60_000;
    started = performance.now();
    let sessions = 0;
    for (let i = 0; i < gaps.length; i++) {
      const gap = /** @type {number} */ (gaps[i]);
      if (gap < 0 || gap >= threshold) sessions++;
    }
    changes.push({ minutes: m, ms: performance.now() - started, sessions });
  }
  return { prepareMs, changes, peakRssBytes: peakRssBytes() };
}

await runBaseline('bench/papaparse-loop.mjs', { load, thresholds });
