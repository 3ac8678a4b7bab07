import { describe, expect, it, vi } from 'vitest';
import { prepareExportsWhenSettled } from './prepare-exports';

/* When the page prepares a dataset's exports: once per events table, at idle, never for one no longer shown. */

function harness(initial: string | null) {
  let key = initial;
  const listeners = new Set<() => void>();
  const idle: { run: () => void; cancelled: boolean }[] = [];
  const prepare = vi.fn(async () => true);
  const warn = vi.fn();
  const stop = prepareExportsWhenSettled({
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    toPrepare: () => key,
    prepare,
    whenIdle: (run) => {
      const entry = { run, cancelled: false };
      idle.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    warn,
  });
  return {
    prepare,
    warn,
    stop,
    set(next: string | null) {
      key = next;
      for (const listener of listeners) listener();
    },
    /** Runs the idle callbacks not cancelled; returns how many ran. */
    idle() {
      const due = idle.splice(0).filter((e) => !e.cancelled);
      for (const e of due) e.run();
      return due.length;
    },
  };
}

describe('prepareExportsWhenSettled', () => {
  it('prepares a shown dataset once, when idle, however often the store changes', () => {
    const h = harness(null);
    h.set('events_1');
    expect(h.prepare).not.toHaveBeenCalled();
    h.set('events_1');
    expect(h.idle()).toBe(1);
    expect(h.prepare).toHaveBeenCalledTimes(1);
    h.set('events_1');
    expect(h.idle()).toBe(0);
    expect(h.prepare).toHaveBeenCalledTimes(1);
  });

  it('drops the wait when the dataset leaves before the page is idle, and prepares the next one', () => {
    const h = harness('events_1');
    h.set(null);
    h.set('events_2');
    expect(h.idle()).toBe(1);
    expect(h.prepare).toHaveBeenCalledTimes(1);
  });

  it('does nothing when, at idle, there is nothing to prepare', () => {
    const h = harness('events_1');
    h.stop();
    expect(h.idle()).toBe(0);
    expect(h.prepare).not.toHaveBeenCalled();
  });

  it('says a failure and does not try the same dataset again', async () => {
    const h = harness('events_1');
    h.prepare.mockRejectedValueOnce(new Error('out of memory'));
    h.idle();
    await vi.waitFor(() => expect(h.warn).toHaveBeenCalledTimes(1));
    h.set('events_1');
    expect(h.idle()).toBe(0);
    expect(h.prepare).toHaveBeenCalledTimes(1);
  });
});
