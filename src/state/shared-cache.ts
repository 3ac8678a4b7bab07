/*
 * Values that cost work to make and must be let go of (tables), shared between callers:
 * the promise is stored before it is awaited, so a second caller of the same key waits for
 * the first one's work instead of starting (or dropping) its own. An entry in use is never
 * destroyed; idle ones beyond the `keep` most recently used are.
 */

interface Entry<V> {
  value: Promise<V>;
  users: number;
}

export class SharedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private closed = false;

  constructor(
    private readonly destroy: (value: V) => Promise<void>,
    private readonly keep = 2,
  ) {}

  /** Runs `use` with the value for `key`, made once (by the first caller's `make`) however many callers ask at once. */
  async use<R>(key: string, make: () => Promise<V>, use: (value: V) => Promise<R>): Promise<R> {
    if (this.closed) throw new Error('the cache was cleared');
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      const made: Entry<V> = { value: make(), users: 0 };
      // A failed make is forgotten, so that the next caller tries again.
      made.value.catch(() => {
        if (this.entries.get(key) === made) this.entries.delete(key);
      });
      entry = made;
    }
    // Re-inserted: the map's order is the order of last use.
    this.entries.set(key, entry);
    entry.users++;
    try {
      return await use(await entry.value);
    } finally {
      entry.users--;
      await this.trim();
    }
  }

  /** Destroys every value; callers still using one finish first (the owner waits for them). */
  async clear(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) await this.destroyEntry(entry);
  }

  private async trim(): Promise<void> {
    let surplus = this.entries.size - this.keep;
    if (surplus <= 0) return;
    // The map is in order of last use: the last `keep` entries stay, and so does any in use.
    const kept = new Set([...this.entries.keys()].slice(-this.keep));
    for (const [key, entry] of [...this.entries]) {
      if (surplus <= 0) break;
      if (entry.users > 0 || kept.has(key)) continue;
      this.entries.delete(key);
      surplus--;
      await this.destroyEntry(entry);
    }
  }

  private async destroyEntry(entry: Entry<V>): Promise<void> {
    const value = await entry.value.then(
      (v) => ({ ok: true as const, v }),
      () => ({ ok: false as const }),
    );
    if (value.ok) await this.destroy(value.v);
  }
}
