// @ts-check
/**
 * Compressed twins of a plain clickstream, and hostile archives, made deterministically
 * (Node's zlib and the small zip writer below; the same options give the same bytes).
 *
 * `compressedTwins(options)` generates a plain CSV with clickstream-generator.mjs and
 * returns it with its twins: the same rows gzip-compressed (CSV, TSV, NDJSON, JSON, and a
 * gzip without extension), a zip holding the CSV, a zip of the CSV cut into parts (each with
 * its header; one with a byte order mark and CRLF lines), and an Amplitude-style export: a
 * zip of hourly `.json.gz` files. `hostileArchives()` returns archives that must be refused,
 * each with the words its message must hold.
 *
 * Run as a script to write them to a folder: node scripts/compressed-twins.mjs <dir> [events]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { generateClickstream } from './clickstream-generator.mjs';

/**
 * @typedef {object} ZipInput
 * @property {string} name
 * @property {Uint8Array} data
 * @property {boolean} [store] Stored rather than deflated.
 * @property {number} [declaredSize] The size written in the headers (a lie, for hostile archives).
 * @property {number} [declaredCrc]
 * @property {number} [flags]
 * @property {number} [method]
 * @property {boolean} [zip64Size] Declares `declaredSize` in a zip64 extra field.
 */

/**
 * A zip archive (local headers, data, central directory, end record), no data descriptors.
 * @param {ZipInput[]} entries
 * @param {{ declaredEntries?: number }} [options]
 * @returns {Uint8Array}
 */
export function zip(entries, options = {}) {
  /** @type {Buffer[]} */
  const out = [];
  /** @type {Buffer[]} */
  const directory = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = entry.store ? Buffer.from(entry.data) : deflateRawSync(entry.data, { level: 6 });
    const method = entry.method ?? (entry.store ? 0 : 8);
    const crc = entry.declaredCrc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const extra = entry.zip64Size ? Buffer.alloc(12) : Buffer.alloc(0);
    if (entry.zip64Size) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
    }
    const size32 = entry.zip64Size ? 0xffffffff : size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00, fixed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size32, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 30);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    directory.push(central, name, extra);
    out.push(local, name, body);
    offset += local.length + name.length + body.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Math.min(options.declaredEntries ?? entries.length, 0xffff);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...out, directoryBytes, end]));
}

/** @param {string | Uint8Array} data */
export const gzip = (data) => new Uint8Array(gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { level: 6 }));

/**
 * The generator's CSV (no quotes or commas inside fields) as NDJSON, one object a row.
 * @param {string} csv
 */
export function csvToNdjson(csv) {
  const [header = '', ...rows] = csv.split('\n').filter((l) => l !== '');
  const names = header.split(',');
  return `${rows.map((row) => JSON.stringify(Object.fromEntries(row.split(',').map((v, i) => [names[i], v])))).join('\n')}\n`;
}

/**
 * @param {{ seed?: number, events?: number }} [options]
 */
export function compressedTwins(options = {}) {
  const csv = `${[...generateClickstream({ seed: options.seed ?? 14, events: options.events ?? 3000, days: 3 })].join('\n')}\n`;
  const lines = csv.split('\n').filter((l) => l !== '');
  const header = lines[0] ?? '';
  const rows = lines.slice(1);
  const ndjson = csvToNdjson(csv);
  const tsv = csv.replaceAll(',', '\t');
  // Amplitude: one gzip-compressed NDJSON file per hour, under the project's folder.
  /** @type {Map<string, string[]>} */
  const hours = new Map();
  for (const line of ndjson.split('\n').filter((l) => l !== '')) {
    const hour = String(JSON.parse(line).timestamp).slice(0, 13).replace('T', '_');
    hours.set(hour, [...(hours.get(hour) ?? []), line]);
  }
  const amplitude = zip([
    { name: '187520/', data: new Uint8Array(0), store: true },
    ...[...hours].map(([hour, part], i) => ({ name: `187520/187520_${hour}#0.json.gz`, data: gzip(`${part.join('\n')}\n`), store: i % 2 === 0 })),
  ]);
  const third = Math.ceil(rows.length / 3);
  const parts = [0, 1, 2].map((i) => rows.slice(i * third, (i + 1) * third));
  const csvParts = zip([
    { name: 'clicks-1.csv', data: Buffer.from(`${header}\n${parts[0]?.join('\n')}\n`) },
    { name: '__MACOSX/._clicks-1.csv', data: Buffer.from('resource fork') },
    { name: 'clicks-2.csv', data: Buffer.from(`\uFEFF${header}\r\n${parts[1]?.join('\r\n')}\r\n`) },
    // The last part ends without a line break.
    { name: 'clicks-3.csv', data: Buffer.from(`${header}\n${parts[2]?.join('\n')}`) },
    { name: '.DS_Store', data: Buffer.from([0, 0, 0, 1]) },
  ]);
  return {
    csv,
    twins: {
      'clicks.csv.gz': gzip(csv),
      'clicks.tsv.gz': gzip(tsv),
      'clicks.ndjson.gz': gzip(ndjson),
      'clicks.json.gz': gzip(ndjson),
      'clicks-download': gzip(csv),
      'clicks.zip': zip([{ name: 'clicks.csv', data: Buffer.from(csv) }]),
      'clicks-parts.zip': csvParts,
      'amplitude-export.zip': amplitude,
    },
    hourlyFiles: hours.size,
  };
}

/**
 * Archives that must be refused, with a word or phrase each message must hold.
 * @returns {{ name: string, data: Uint8Array, message: RegExp, why: string }[]}
 */
export function hostileArchives() {
  const csv = Buffer.from('user_id,timestamp\nu1,2024-05-01T10:00:00Z\nu1,2024-05-01T10:10:00Z\n');
  const zeros = new Uint8Array(64 << 20);
  const gz = gzip(csv);
  const badCrc = gz.slice();
  badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] ?? 0) ^ 0xff;
  return [
    { name: 'bomb.csv.gz', data: gzip(zeros), message: /decompresses to more than/, why: 'a gzip bomb (64 MB of zeros in 64 KB)' },
    {
      name: 'bomb.zip',
      data: zip([{ name: 'a.csv', data: zeros, declaredSize: 1000 }]),
      message: /more than the 1,000 bytes it declares/,
      why: 'a zip entry that inflates past the size it declares',
    },
    {
      name: 'absurd.zip',
      data: zip([{ name: 'a.csv', data: csv, declaredSize: 2 ** 50, zip64Size: true }]),
      message: /says it decompresses to 1\.0 PB, more than the/,
      why: 'a zip declaring a petabyte',
    },
    {
      name: 'nested.zip',
      data: zip([{ name: 'inner.zip', data: zip([{ name: 'a.csv', data: csv }]) }]),
      message: /archives inside archives/,
      why: 'a zip in a zip',
    },
    { name: 'twice.csv.gz', data: gzip(gz), message: /archives inside archives/, why: 'gzip inside gzip' },
    { name: 'cut.csv.gz', data: gz.slice(0, gz.length - 12), message: /damaged or cut short/, why: 'a truncated gzip' },
    { name: 'crc.csv.gz', data: badCrc, message: /damaged or cut short/, why: 'a gzip whose CRC does not match' },
    {
      name: 'crc.zip',
      data: zip([{ name: 'a.csv', data: csv, declaredCrc: 12345 }]),
      message: /checksum \(CRC\) does not match/,
      why: 'a zip entry whose CRC does not match',
    },
    { name: 'cut.zip', data: zip([{ name: 'a.csv', data: csv }]).slice(0, 60), message: /cut short or damaged/, why: 'a zip without its end' },
    { name: 'locked.zip', data: zip([{ name: 'a.csv', data: csv, flags: 0x801 }]), message: /encrypted/, why: 'an encrypted entry' },
    {
      name: 'bzip2.zip',
      data: zip([{ name: 'a.csv', data: csv, store: true, method: 12 }]),
      message: /method 12/,
      why: 'an entry in a method other than deflate',
    },
    {
      name: 'parquets.zip',
      data: zip([
        { name: 'a.parquet', data: Buffer.from('PAR1 not really') },
        { name: 'b.parquet', data: Buffer.from('PAR1 not really') },
      ]),
      message: /several Parquet files/,
      why: 'several Parquet files',
    },
    {
      name: 'mixed.zip',
      data: zip([
        { name: 'a.csv', data: csv },
        { name: 'b.json', data: Buffer.from('{"user_id":"u1"}\n') },
      ]),
      message: /files of different kinds/,
      why: 'CSV and JSON together',
    },
    {
      name: 'shapes.zip',
      data: zip([
        { name: 'a.csv', data: csv },
        { name: 'b.csv', data: Buffer.from('visitor,ts\nv1,2024-05-01T10:00:00Z\n') },
      ]),
      message: /not of one shape/,
      why: 'CSV files with other headers',
    },
    {
      name: 'arrays.zip',
      data: zip([
        { name: 'a.json', data: Buffer.from('[{"user_id":"u1","ts":"2024-05-01T10:00:00Z"}]') },
        { name: 'b.json', data: Buffer.from('[{"user_id":"u2","ts":"2024-05-01T10:00:00Z"}]') },
      ]),
      message: /arrays cannot be joined line by line/,
      why: 'several JSON arrays',
    },
    { name: 'empty.zip', data: zip([]), message: /empty zip archive/, why: 'an empty zip' },
    {
      name: 'clicks.xlsx',
      data: zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet/>') },
      ]),
      message: /it is an Excel workbook \(\.xlsx\), not an archive of data files: save it as CSV first/,
      why: 'an Excel workbook (a zip inside)',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node scripts/compressed-twins.mjs <dir> [events]');
  mkdirSync(dir, { recursive: true });
  const { csv, twins } = compressedTwins({ events: Number(process.argv[3] ?? 3000) });
  writeFileSync(join(dir, 'clicks.csv'), csv);
  for (const [name, data] of Object.entries(twins)) writeFileSync(join(dir, name), data);
  for (const { name, data } of hostileArchives()) writeFileSync(join(dir, `hostile-${name}`), data);
}
