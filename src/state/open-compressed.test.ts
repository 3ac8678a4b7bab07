import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { compressedTwins, hostileArchives } from '../../scripts/compressed-twins.mjs';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from './app-store';
import { exportCsv } from './exports';
import type { FileSource } from './raw-table';

/*
 * Compressed twins of one generated clickstream (scripts/compressed-twins.mjs) load through
 * the store, as a first file and as a late file, with the plain file's figures and session
 * ids; archives that must be refused are, with a message naming the file, and the dataset
 * on screen stays.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const { csv, twins, hourlyFiles } = compressedTwins();
const source = (name: string, data: Uint8Array): FileSource => ({ name, size: data.length, data });
const plain = source('clicks.csv', new TextEncoder().encode(csv));

async function loaded(file: FileSource) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  await store.loadFile(file);
  await settled(store);
  const { dataset, result, error } = store.getState();
  expect(error).toBeNull();
  if (!dataset || !result) throw new Error('not loaded');
  return { store, dataset, result };
}

/** The events export as (user, timestamp, url) → session id, whatever the row order and the columns' origin. */
async function sessionIds(file: FileSource): Promise<{ figures: object; ids: string[]; notes: string[] }> {
  const { dataset, result } = await loaded(file);
  const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await (await exportCsv(engine, dataset, result, null, 'events')).bytes()), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const ids = rows.map((r) => `${r.user_id}|${r.timestamp}|${r.url}|${r.referrer}|${r.device}|${r.session_id}|${r.session_number}`).sort();
  const { events, users, rowsRead, skipped } = dataset.events.figures;
  return { figures: { events, users, rowsRead, skipped, sessions: result.stats.sessions }, ids, notes: dataset.notes };
}

describe('compressed files load as their plain twin', () => {
  let expected: Awaited<ReturnType<typeof sessionIds>>;
  beforeAll(async () => {
    expected = await sessionIds(plain);
    expect(expected.ids.length).toBe(3000);
  });

  it.each(Object.keys(twins))('%s gives the plain file’s figures and session ids', async (name) => {
    const got = await sessionIds(source(name, twins[name as keyof typeof twins]));
    expect(got.figures).toEqual(expected.figures);
    expect(got.ids).toEqual(expected.ids);
    expect(got.notes.join(' ')).toMatch(/compressed|zip archive/);
  });

  it('an Amplitude export says how many hourly files it read, and leaves folders out', async () => {
    const { notes } = await sessionIds(source('amplitude-export.zip', twins['amplitude-export.zip']));
    expect(notes[0]).toMatch(
      new RegExp(
        `^The file is a zip archive holding ${hourlyFiles} files of one shape \\(each gzip-compressed\\): decompressed while reading \\(0\\.1 MB to 0\\.\\d MB\\)\\.$`,
      ),
    );
    expect(notes[1]).toMatch(
      new RegExp(`^The ${hourlyFiles} files were read one after another in name order \\("187520/187520_2024-05-01_00#0\\.json\\.gz" to`),
    );
  });

  it('a zip of CSV parts leaves out the header repeated at the top of each part, and says so', async () => {
    const { notes } = await sessionIds(source('clicks-parts.zip', twins['clicks-parts.zip']));
    expect(notes.join(' ')).toContain('The header line at the top of each CSV file after the first was left out (2 lines).');
  });

  it('a late file may be compressed too: appending the gzip twin of a file to itself finds every row loaded', async () => {
    const { store } = await loaded(plain);
    await store.appendFile(source('clicks.csv.gz', twins['clicks.csv.gz']));
    await settled(store);
    expect(store.getState().error).toBe(
      'clicks.csv.gz: every one of its 3,000 rows is already loaded (same "user_id", "timestamp", "url"): was it added before? Nothing was added.',
    );
  });

  it('a late zip adds its rows', async () => {
    const half = csv.split('\n').slice(0, 1501).join('\n');
    const { store } = await loaded(source('first-half.csv', new TextEncoder().encode(half)));
    await store.appendFile(source('clicks.zip', twins['clicks.zip']), true);
    await settled(store);
    const { error, dataset, result } = store.getState();
    expect(error).toBeNull();
    expect(dataset?.events.figures.events).toBe(3000);
    expect(result?.stats.sessions).toBe((expected.figures as { sessions: number }).sessions);
    expect(dataset?.notes.join(' ')).toContain('clicks.zip: The file is a zip archive holding one file, "clicks.csv"');
  });
});

describe('archives that must be refused', () => {
  it.each(hostileArchives().filter((h) => !h.name.startsWith('bomb')))(
    '$why ($name): a message naming the file; the dataset stays',
    async ({ name, data, message }) => {
      const { store } = await loaded(plain);
      const started = performance.now();
      await store.loadFile(source(name, data));
      await settled(store);
      const { error, dataset, status } = store.getState();
      expect(status).toBe('error');
      expect(error?.startsWith(`${name}: `)).toBe(true);
      expect(error).toMatch(message);
      expect(dataset?.raw.fileName).toBe('clicks.csv');
      expect(performance.now() - started).toBeLessThan(5000);
    },
  );
});

describe('a file that only starts like an archive', () => {
  it('a ZIP signature with no archive behind it (workbook.csv) is named as a damaged ZIP archive', async () => {
    const { store } = await loaded(plain);
    await store.loadFile(source('workbook.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(200)])));
    await settled(store);
    expect(store.getState().error).toBe(
      'workbook.csv: it starts as a ZIP archive, but the table of contents at the end of one is missing: it is cut short or damaged (an .xlsx workbook is a ZIP archive too: export it as CSV).',
    );
  });

  it('a name ending in .gz over a plain file reads the plain file', async () => {
    const { dataset } = await loaded(source('clicks.csv.gz', new TextEncoder().encode(csv)));
    expect(dataset.events.figures.events).toBe(3000);
    expect(dataset.notes.join(' ')).not.toMatch(/compressed/);
  });
});
