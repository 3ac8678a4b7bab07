import { describe, expect, it } from 'vitest';
import { encodeAs } from '../test/legacy-bytes';
import { firstInvalidUtf8, readNonUtf8 } from './detect-encoding';

const header = 'user_id,timestamp,url,name\n';
const row = (i: number, name: string) => `u${i},2024-05-01T10:0${i}:00Z,/p${i},${name}\n`;
const file = (...names: string[]) => header + names.map((n, i) => row(i, n)).join('');
/** Windows-1252 by hand: Node's TextDecoder maps 0x80-0x9F to control characters (nodejs/node#60888). */
const cp1252 = (text: string) =>
  Uint8Array.from(
    text,
    (ch) =>
      new Map([
        ['“', 0x93],
        ['”', 0x94],
        ['€', 0x80],
      ]).get(ch) ?? ch.charCodeAt(0),
  );

describe('firstInvalidUtf8', () => {
  const table: [string, number[], boolean, number][] = [
    ['valid UTF-8', [0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xa6, 0x86], true, -1],
    ['a Latin-1 é before a comma', [0x61, 0xe9, 0x2c], true, 1],
    ['an overlong form', [0x61, 0xc0, 0x80], true, 1],
    ['a surrogate', [0xed, 0xa0, 0x80], true, 0],
    ['a character cut off by the end of the head', [0x61, 0xe2, 0x82], false, -1],
    ['a character cut off by the end of the file', [0x61, 0xe2, 0x82], true, 1],
  ];
  for (const [what, bytes, complete, expected] of table) {
    it(`${what}: ${expected}`, () => expect(firstInvalidUtf8(Uint8Array.from(bytes), complete)).toBe(expected));
  }
});

describe('readNonUtf8', () => {
  it('Western text (German, French, Portuguese, Swedish, curly quotes and €) is Windows-1252, the first bad line named', () => {
    for (const names of [['Jürgen Müller', 'Straße Größe Ärger'], ['Élodie Château', '“déjà vu” €5'], ['Ação', 'Informação São João'], ['Åsa Ängel Ödmark']]) {
      expect(readNonUtf8(cp1252(file(...names)), true)).toEqual({ encoding: 'windows-1252', firstBadLine: 2 });
    }
  });

  it('Japanese in Shift_JIS is read as Shift_JIS', () => {
    const bytes = encodeAs('shift_jis', `user_id,timestamp,url,名前\n${row(1, '山田太郎')}${row(2, 'すずき はなこ')}${row(3, 'カタカナ')}`);
    expect(readNonUtf8(bytes, true)).toEqual({ encoding: 'shift_jis', firstBadLine: 1 });
  });

  it("Korean, Chinese and EUC-JP Japanese are named, not converted: their encodings decode each other's bytes", () => {
    const table: [string, string, string][] = [
      ['euc-kr', file('김철수', '이영희 서울특별시'), 'EUC-KR'],
      ['gbk', file('张伟', '北京市朝阳区'), 'GBK / GB2312'],
      ['big5', file('張偉', '臺北市信義區'), 'Big5'],
      ['euc-jp', file('山田太郎', 'すずき はなこ'), 'EUC-JP'],
    ];
    for (const [label, text, name] of table) {
      const reading = readNonUtf8(encodeAs(label, text), true);
      expect(reading.encoding, label).toBeNull();
      expect(reading.firstBadLine).toBe(2);
      if (reading.encoding === null) expect(reading.looksLike).toContain(name);
    }
  });
});

describe('readNonUtf8, a UTF-8 file with one stray byte', () => {
  it('is not taken for an East Asian encoding (found by fuzzing: 0x81 before ASCII, "ë" in UTF-8, both valid GBK)', () => {
    const bytes = new TextEncoder().encode(file('Zoë', 'u1'));
    // "/p0" becomes 0x81 "p0".
    bytes[bytes.indexOf(0x2f, header.length)] = 0x81;
    expect(readNonUtf8(bytes, true).encoding).toBe('windows-1252');
  });
});
