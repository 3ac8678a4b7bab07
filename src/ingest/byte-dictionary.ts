/*
 * Dictionary codes for byte ranges of one buffer, with no string made per lookup: an FNV-1a
 * hash over the bytes and open addressing. A code is the order of first appearance; each
 * distinct key is copied once into a compact pool, and its text decoded once at the end.
 */

/** A copy of `from` twice as long. */
export function grown(from: Int32Array): Int32Array {
  const to = new Int32Array(from.length * 2);
  to.set(from);
  return to;
}

/** A dictionary's keys: key c is pool[offsets[c], offsets[c] + lengths[c]). */
export interface DictionaryKeys {
  pool: Uint8Array;
  offsets: Int32Array;
  lengths: Int32Array;
}

/** The text of keys codes[0], codes[1], … (valid UTF-8: the reader checked them). */
export function keyTexts(keys: DictionaryKeys, codes: Int32Array): string[] {
  const decoder = new TextDecoder();
  const texts = new Array<string>(codes.length);
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k] as number;
    const offset = keys.offsets[code] as number;
    texts[k] = decoder.decode(keys.pool.subarray(offset, offset + (keys.lengths[code] as number)));
  }
  return texts;
}

export class ByteDictionary {
  /**
   * Open addressing, four ints a slot: hash, code + 1 (0 = empty), the key's offset in
   * `pool` and its length. A probe reads one slot and the pool, which holds every distinct
   * key once and stays small enough for the cache (the keys' first occurrences, spread over
   * the whole file, do not).
   */
  private slots = new Int32Array(4 * 1024);
  private pool = new Uint8Array(4096);
  private poolEnd = 0;
  /** Each code's key in `pool`, for the labels. */
  private offsets: Int32Array = new Int32Array(256);
  private lengths: Int32Array = new Int32Array(256);
  size = 0;

  constructor(private bytes: Uint8Array) {}

  /** Codes from now on come from `bytes` (the next piece of a file): the keys are the dictionary's own copies. */
  rebind(bytes: Uint8Array): void {
    this.bytes = bytes;
  }

  /** The code of bytes[start, end) of the dictionary's buffer. */
  code(start: number, end: number): number {
    return this.codeIn(this.bytes, start, end);
  }

  /** The code of bytes[start, end) of any buffer (another part of the same file, say). */
  codeIn(bytes: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 16777619);
    const slots = this.slots;
    const pool = this.pool;
    const mask = (slots.length >> 2) - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const at = slot << 2;
      const codePlusOne = slots[at + 1] as number;
      if (codePlusOne === 0) break;
      if (slots[at] === hash && slots[at + 3] === length) {
        const offset = slots[at + 2] as number;
        let i = 0;
        while (i < length && pool[offset + i] === bytes[start + i]) i++;
        if (i === length) return codePlusOne - 1;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, hash, slot, start, end);
  }

  /** Every key, by code, as one pool of bytes: what another dictionary needs to take them in (codeIn). */
  keys(): DictionaryKeys {
    return { pool: this.pool.slice(0, this.poolEnd), offsets: this.offsets.slice(0, this.size), lengths: this.lengths.slice(0, this.size) };
  }

  /** Every entry's text, by code (the bytes are valid UTF-8: the reader checked them). */
  labels(): string[] {
    const decoder = new TextDecoder();
    const labels = new Array<string>(this.size);
    for (let c = 0; c < this.size; c++) {
      const offset = this.offsets[c] as number;
      labels[c] = decoder.decode(this.pool.subarray(offset, offset + (this.lengths[c] as number)));
    }
    return labels;
  }

  private add(bytes: Uint8Array, hash: number, slot: number, start: number, end: number): number {
    const length = end - start;
    if (this.poolEnd + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolEnd + length));
      pool.set(this.pool);
      this.pool = pool;
    }
    const offset = this.poolEnd;
    this.pool.set(bytes.subarray(start, end), offset);
    this.poolEnd += length;
    const code = this.size++;
    if (code === this.offsets.length) {
      this.offsets = grown(this.offsets);
      this.lengths = grown(this.lengths);
    }
    this.offsets[code] = offset;
    this.lengths[code] = length;
    const at = slot << 2;
    this.slots[at] = hash;
    this.slots[at + 1] = code + 1;
    this.slots[at + 2] = offset;
    this.slots[at + 3] = length;
    if (this.size * 2 > this.slots.length >> 2) this.rehash();
    return code;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 2) - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] === 0) continue;
      let slot = (old[at] as number) & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(at, at + 4), slot << 2);
    }
    this.slots = slots;
  }
}
