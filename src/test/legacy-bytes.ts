/*
 * Test bytes in encodings TextEncoder does not write. Each character's bytes are found by
 * asking TextDecoder which one- or two-byte sequence gives it, so the fixtures are read back
 * by the same decoder the loader uses.
 */

const singles = Array.from({ length: 0x80 }, (_, i) => [0x80 + i]);
const pairs = Array.from({ length: 0x7e }, (_, l) => Array.from({ length: 0xbf }, (_, t) => [0x81 + l, 0x40 + t])).flat();

/** `text` in a legacy encoding (Shift_JIS, EUC-KR, GBK, Big5, Windows-1252…). */
export function encodeAs(label: string, text: string): Uint8Array {
  const decoder = new TextDecoder(label, { fatal: true });
  const decodes = (bytes: number[], ch: string) => {
    try {
      return decoder.decode(Uint8Array.from(bytes)) === ch;
    } catch {
      return false;
    }
  };
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const found = singles.find((b) => decodes(b, ch)) ?? pairs.find((b) => decodes(b, ch));
    if (!found) throw new Error(`${ch} has no ${label} bytes`);
    out.push(...found);
  }
  return Uint8Array.from(out);
}

/** `text` in UTF-16 with its byte order mark. */
export function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return bytes;
}
