import { describe, expect, it } from 'vitest';
import { encodeAs, utf16 } from '../test/legacy-bytes';
import { recordingFile } from '../test/recording-file';
import { transcodeToUtf8 } from './transcode';

const textOf = async (file: File) => new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());

describe('transcodeToUtf8', () => {
  const text = 'user_id,note\nu1,名前 “café” 🦆\r\nu2,é\n';
  const cases: [label: string, bytes: Uint8Array, expected: string][] = [
    ['utf-16le', utf16(text, true), text],
    ['utf-16be', utf16(text, false), text],
    ['shift_jis', encodeAs('shift_jis', 'id,名前\nu1,すずき\n'), 'id,名前\nu1,すずき\n'],
    ['windows-1252', Uint8Array.of(0x61, 0xe9, 0x0a, 0x62, 0xfc), 'aé\nbü'],
    // Bytes 0x80-0x9F as TextDecoder reads them (“€ in browsers; C1 controls in Node 20.18.3+, nodejs/node#60888).
    ['windows-1252', Uint8Array.of(0x93, 0x80, 0x61), new TextDecoder('windows-1252').decode(Uint8Array.of(0x93, 0x80, 0x61))],
  ];
  for (const [label, bytes, expected] of cases) {
    it(`re-encodes ${label} to UTF-8 whatever the slice size: a character split between slices is kept whole, the BOM dropped`, async () => {
      for (const slice of [1, 2, 3, 7, 1 << 20]) {
        for (const data of [bytes, new Blob([bytes.slice()])]) {
          const { file } = await transcodeToUtf8(data, label, 'upload_1.csv', slice);
          expect(file.name).toBe('upload_1.csv');
          expect(await textOf(file)).toBe(expected);
        }
      }
    });
  }

  it('reads the source one slice at a time and never whole', async () => {
    const { file: source, reads: read } = recordingFile(new Uint8Array(10_000).fill(0xe9), 'big.csv');
    const { file } = await transcodeToUtf8(source, 'windows-1252', 'big.csv', 1024);
    expect(Math.max(...read)).toBe(1024);
    expect(read.reduce((a, b) => a + b, 0)).toBe(10_000);
    // é is two bytes in UTF-8.
    expect(file.size).toBe(20_000);
  });
});
