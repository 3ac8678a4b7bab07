import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressedTwins, gzip, hostileArchives, zip } from '../../scripts/compressed-twins.mjs';
import { decompressFile, DecompressProblem } from './decompress';
import { FEED_BYTES, gunzipMembers, inflate } from './inflate-chunks';

/*
 * The decompressor's bounds, measured where they act: a bomb stops at the byte limit after
 * reading little of the file, in bounded time; progress counts compressed bytes; archives
 * written by other tools (Info-ZIP's zip, Python's zipfile with zip64 and data descriptors)
 * read as ours do.
 */

const text = async (file: File) => new TextDecoder().decode(new Uint8Array(await file.arrayBuffer()));

describe('decompressFile', () => {
  it('leaves a plain file alone', async () => {
    expect(await decompressFile(new TextEncoder().encode('a,b\n1,2\n'), { name: 'x.csv', maxBytes: 1e6 })).toBeNull();
  });

  it.each(hostileArchives().filter((h) => h.name.startsWith('bomb')))('$why stops at the limit, early', async ({ name, data }) => {
    const progress: number[] = [];
    const outcome = decompressFile(new Blob([data.slice()]), { name, maxBytes: 1 << 20, progress: (read) => progress.push(read) });
    await expect(outcome).rejects.toThrow(DecompressProblem);
    await expect(outcome).rejects.toThrow(/decompresses to more than|more than the 1,000 bytes it declares/);
    // It stopped in the first megabyte read, not after reading the whole file.
    expect(progress.at(-1) ?? 0).toBeLessThanOrEqual(1 << 20);
  });

  it('says the sizes when the decompressed file is over the limit', async () => {
    const bytes = gzip(new Uint8Array(8 << 20));
    await expect(decompressFile(bytes, { name: 'z.csv.gz', maxBytes: 2 << 20 })).rejects.toThrow(
      /^it decompresses to more than 2\.0 MB, more than the page can hold \(reading stopped after 0\.0 MB of its 0\.0 MB\)/,
    );
  });

  it('reports progress by compressed bytes, up to the whole file', async () => {
    const { twins } = compressedTwins({ events: 20_000 });
    const data = twins['clicks.csv.gz'];
    const seen: [number, number][] = [];
    const out = await decompressFile(new Blob([data.slice()]), { name: 'c.csv.gz', maxBytes: 1e9, progress: (read, total) => seen.push([read, total]) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.at(-1)).toEqual([data.length, data.length]);
    expect(out?.size).toBeGreaterThan(data.length * 3);
  });

  it('stops when the load is abandoned', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(decompressFile(gzip('a,b\n1,2\n'), { name: 'a.csv.gz', maxBytes: 1e6, signal: controller.signal })).rejects.toThrow(/abort/i);
  });

  it('reads the archives of Info-ZIP and of Python (zip64 extra fields, data descriptors) as its own', async () => {
    const { csv } = compressedTwins({ events: 500 });
    const dir = mkdtempSync(path.join(tmpdir(), 'zips-'));
    try {
      writeFileSync(path.join(dir, 'a.csv'), csv);
      const made: [string, Uint8Array][] = [['ours.zip', zip([{ name: 'a.csv', data: new TextEncoder().encode(csv) }])]];
      try {
        execFileSync('zip', ['-q', '-X', 'infozip.zip', 'a.csv'], { cwd: dir });
        made.push(['infozip.zip', readFileSync(path.join(dir, 'infozip.zip'))]);
      } catch {
        console.warn('zip (Info-ZIP) is not installed: its archive is not checked');
      }
      try {
        const script = [
          'import zipfile, sys',
          "with zipfile.ZipFile(sys.argv[1] + '/python.zip', 'w', zipfile.ZIP_DEFLATED) as z:",
          "    with z.open('a.csv', 'w', force_zip64=True) as f:",
          "        f.write(open(sys.argv[1] + '/a.csv', 'rb').read())",
        ].join('\n');
        execFileSync('python3', ['-c', script, dir]);
        made.push(['python.zip', readFileSync(path.join(dir, 'python.zip'))]);
      } catch {
        console.warn('python3 is not installed: its archive is not checked');
      }
      for (const [name, bytes] of made) {
        const out = await decompressFile(new Uint8Array(bytes), { name, maxBytes: 1e9 });
        expect(out && (await text(out.file)), name).toBe(csv);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inflate', () => {
  it('gives a bomb read in 1 MB slices out in pieces of at most 1032 × 16 KB (what one step of the decompressor holds)', async () => {
    async function* slices(bytes: Uint8Array) {
      for (let at = 0; at < bytes.length; at += 1 << 20) yield bytes.subarray(at, at + (1 << 20));
    }
    let largest = 0;
    let total = 0;
    for await (const chunk of inflate(slices(gzip(new Uint8Array(64 << 20))), 'gzip')) {
      largest = Math.max(largest, chunk.length);
      total += chunk.length;
    }
    expect(total).toBe(64 << 20);
    expect(largest).toBeLessThanOrEqual(1032 * FEED_BYTES);
  });
});

describe('gunzipMembers (gzip files joined with cat, which browsers refuse)', () => {
  const collect = async (chunks: AsyncIterable<Uint8Array>) => {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    return new TextDecoder().decode(Buffer.concat(parts));
  };
  async function* once(bytes: Uint8Array) {
    yield bytes;
  }

  it('reads every member, one after another', async () => {
    const joined = Buffer.concat([gzip('a,b\n1,2\n'), gzip('3,4\n'), gzip('5,6\n')]);
    expect(await collect(gunzipMembers(once(joined)))).toBe('a,b\n1,2\n3,4\n5,6\n');
  });

  it('gives a bomb out in pieces of at most 1032 × 16 KB', async () => {
    let largest = 0;
    for await (const chunk of gunzipMembers(once(gzip(new Uint8Array(64 << 20))))) largest = Math.max(largest, chunk.length);
    expect(largest).toBeLessThanOrEqual(1032 * 16 * 1024);
  });

  it('says a member cut short is damaged', async () => {
    const joined = Buffer.concat([gzip('a,b\n1,2\n'), gzip('3,4\n').subarray(0, 12)]);
    await expect(collect(gunzipMembers(once(joined)))).rejects.toThrow(/damaged or cut short/);
  });
});
