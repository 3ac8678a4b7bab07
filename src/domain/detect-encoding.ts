import { lineAt } from './line-breaks';

/*
 * What a text file that is not UTF-8 is written in, judged from its first bytes. Western
 * exports (Windows-1252 / Latin-1) put a lone accented letter between ASCII letters
 * ("café"); Chinese, Japanese and Korean encodings write every character as two bytes, most
 * of them above 0x7F and side by side. Only Shift_JIS is told apart from the others with
 * confidence: its kana and common kanji have lead bytes 0x81-0x9F, which EUC-KR and EUC-JP
 * never use and GBK and Big5 use only for rare characters. The EUC-style encodings (GBK,
 * EUC-KR, EUC-JP, Big5) decode each other's bytes into valid characters, so a file in one
 * of them is named, not converted.
 */

export type LegacyEncoding = 'windows-1252' | 'shift_jis';

export type NonUtf8Reading =
  | { encoding: LegacyEncoding; firstBadLine: number }
  /** Not Windows-1252, and no encoding this page can tell with confidence: `looksLike` names the candidates. */
  | { encoding: null; firstBadLine: number; looksLike: string[] };

/** East Asian encodings every browser's TextDecoder reads, with the names people know them by. */
const EAST_ASIAN: [label: string, name: string][] = [
  ['shift_jis', 'Shift_JIS'],
  ['euc-jp', 'EUC-JP'],
  ['euc-kr', 'EUC-KR'],
  ['gbk', 'GBK / GB2312'],
  ['big5', 'Big5'],
];

/**
 * The length of the UTF-8 sequence starting at `i` (1 for ASCII), 0 if UTF-8 does not allow
 * it, or -1 if it is cut off by the end of `bytes`.
 */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  const trail = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
  if (trail === 0) return 0;
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  for (let k = 1; k <= trail; k++) {
    const b = bytes[i + k];
    if (b === undefined) return -1;
    if (b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return 0;
  }
  return trail + 1;
}

/**
 * The offset of the first byte sequence UTF-8 does not allow, or -1. A sequence cut off by
 * the end of `bytes` counts only when `complete` (the bytes are the whole file).
 */
export function firstInvalidUtf8(bytes: Uint8Array, complete: boolean): number {
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceAt(bytes, i);
    if (length === 0 || (length < 0 && complete)) return i;
    if (length < 0) return -1;
    i += length;
  }
  return -1;
}

/** Share of the bytes above 0x7F that form valid UTF-8 characters: near 1 in a UTF-8 file with a stray byte. */
function utf8Share(bytes: Uint8Array): number {
  let high = 0;
  let valid = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceAt(bytes, i);
    if (length > 1) valid += length;
    if ((bytes[i] as number) >= 0x80) high += Math.max(1, length);
    i += Math.max(1, length);
  }
  return high === 0 ? 0 : valid / high;
}

const isAsciiLetter = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));

/** Windows-1252 letters above 0x7F: À-ÿ but × and ÷, and Š Œ Ž š œ ž Ÿ. */
const isWesternLetter = (b: number) => (b >= 0xc0 && b !== 0xd7 && b !== 0xf7) || [0x8a, 0x8c, 0x8e, 0x9a, 0x9c, 0x9e, 0x9f].includes(b);

/**
 * Share of the bytes above 0x7F that sit as Western accented letters do: letters in runs of
 * at most three ("ção", "ß") next to an ASCII letter. East Asian text has longer runs,
 * between delimiters, and bytes that are symbols in Windows-1252.
 */
function westernShare(bytes: Uint8Array): number {
  let high = 0;
  let western = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] as number) < 0x80) {
      i++;
      continue;
    }
    let end = i;
    while (end < bytes.length && (bytes[end] as number) >= 0x80) end++;
    high += end - i;
    const letters = bytes.subarray(i, end).every(isWesternLetter);
    if (letters && end - i <= 3 && (isAsciiLetter(bytes[i - 1]) || isAsciiLetter(bytes[end]))) western += end - i;
    i = end;
  }
  return high === 0 ? 1 : western / high;
}

/** Ideographs, kana, Hangul, CJK punctuation and full-width forms (not half-width katakana). */
const EAST_ASIAN_CHAR = /[\u3000-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff01-\uff60]/u;

/** Whether the bytes decode without error in `label` into text that is nearly all East Asian characters. */
function readsAs(bytes: Uint8Array, label: string, complete: boolean): boolean {
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true }).decode(bytes, { stream: !complete });
  } catch {
    return false;
  }
  const wide = [...text].filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x80);
  const eastAsian = wide.filter((ch) => EAST_ASIAN_CHAR.test(ch)).length;
  return eastAsian >= 2 && eastAsian >= 0.9 * wide.length;
}

/** Share of Shift_JIS double-byte characters whose lead byte is 0x81-0x9F (kana, common kanji). */
function shiftJisLowLeadShare(bytes: Uint8Array): number {
  let pairs = 0;
  let low = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
      pairs++;
      if (b <= 0x9f) low++;
      i++;
    }
  }
  return pairs === 0 ? 0 : low / pairs;
}

/** How to read `head`, the first bytes of a file that is not valid UTF-8 (see firstInvalidUtf8). */
export function readNonUtf8(head: Uint8Array, complete: boolean): NonUtf8Reading {
  const bad = firstInvalidUtf8(head, complete);
  const firstBadLine = lineAt(head, Math.max(0, bad));
  // Western text rarely decodes as Shift_JIS at all (a closing quote or an accented letter
  // before a space or a comma is not a valid pair), and then not into mostly low lead bytes.
  // A UTF-8 file with a stray byte, or Western text, is read as Windows-1252 as before.
  const mostlyUtf8 = utf8Share(head) >= 0.5;
  if (!mostlyUtf8 && shiftJisLowLeadShare(head) >= 0.5 && readsAs(head, 'shift_jis', complete)) return { encoding: 'shift_jis', firstBadLine };
  const eastAsian = !mostlyUtf8 && westernShare(head) < 0.5;
  const candidates = eastAsian ? EAST_ASIAN.filter(([label]) => readsAs(head, label, complete)) : [];
  if (candidates.length === 0) return { encoding: 'windows-1252', firstBadLine };
  return { encoding: null, firstBadLine, looksLike: candidates.map(([, name]) => name) };
}
