/*
 * Dictionary codes for byte ranges of one buffer, with no string made per lookup: an FNV-1a
 * hash over the bytes and open addressing. A code is the order of first appearance; each
 * entry remembers where its first occurrence lies, so its text is decoded once at the end.
 */

/** A copy of `from` twice as long. */
export function grown(from: Int32Array): Int32Array {
  const to = new Int32Array(from.length * 2);
  to.set(from);
  return to;
}

export class ByteDictionary {
  private slots: Int32Array = new Int32Array(1024).fill(-1);
  private starts: Int32Array = new Int32Array(256);
  private ends: Int32Array = new Int32Array(256);
  private hashes: Int32Array = new Int32Array(256);
  size = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The code of bytes[start, end). */
  code(start: number, end: number): number {
    const bytes = this.bytes;
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 16777619);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    const length = end - start;
    for (;;) {
      const code = this.slots[slot] as number;
      if (code < 0) break;
      if (this.hashes[code] === hash) {
        const at = this.starts[code] as number;
        if ((this.ends[code] as number) - at === length) {
          let i = 0;
          while (i < length && bytes[at + i] === bytes[start + i]) i++;
          if (i === length) return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    const code = this.size++;
    if (code === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.hashes = grown(this.hashes);
    }
    this.starts[code] = start;
    this.ends[code] = end;
    this.hashes[code] = hash;
    this.slots[slot] = code;
    if (this.size * 2 > this.slots.length) this.rehash();
    return code;
  }

  /** Every entry's text, by code (the bytes are valid UTF-8: the reader checked them). */
  labels(): string[] {
    const decoder = new TextDecoder();
    const labels = new Array<string>(this.size);
    for (let c = 0; c < this.size; c++) labels[c] = decoder.decode(this.bytes.subarray(this.starts[c], this.ends[c]));
    return labels;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let c = 0; c < this.size; c++) {
      let slot = (this.hashes[c] as number) & mask;
      while ((slots[slot] as number) >= 0) slot = (slot + 1) & mask;
      slots[slot] = c;
    }
    this.slots = slots;
  }
}
