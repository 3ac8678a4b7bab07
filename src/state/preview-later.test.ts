import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PREVIEW_AFTER_MS, previewLater } from './preview-later';
import type { FileSource } from './raw-table';
import type { Preview } from './types';

const source: FileSource = { name: 'clicks.csv', size: 8, data: new TextEncoder().encode('a,b\n1,2\n') };
const preview: Preview = { fileName: 'clicks.csv', header: ['a', 'b'], rows: [['1', '2']] };

describe('previewLater', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('previews a file still loading after PREVIEW_AFTER_MS, and not before', async () => {
    const previewOf = vi.fn(async () => preview);
    const shown: (Preview | null)[] = [];
    previewLater(
      previewOf,
      source,
      () => true,
      (p) => shown.push(p),
    );
    await vi.advanceTimersByTimeAsync(PREVIEW_AFTER_MS - 1);
    expect(previewOf).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toEqual([preview]);
  });

  it('makes no preview for a load that ended sooner, and drops one that arrives after the load', async () => {
    let loading = false;
    const previewOf = vi.fn(async () => preview);
    const shown: (Preview | null)[] = [];
    previewLater(
      previewOf,
      source,
      () => loading,
      (p) => shown.push(p),
    );
    await vi.advanceTimersByTimeAsync(PREVIEW_AFTER_MS);
    expect(previewOf).not.toHaveBeenCalled();

    loading = true;
    let finish: (p: Preview) => void = () => {};
    const slow = vi.fn(() => new Promise<Preview>((resolve) => (finish = resolve)));
    previewLater(
      slow,
      source,
      () => loading,
      (p) => shown.push(p),
    );
    await vi.advanceTimersByTimeAsync(PREVIEW_AFTER_MS);
    expect(slow).toHaveBeenCalledOnce();
    loading = false;
    finish(preview);
    await vi.runAllTimersAsync();
    expect(shown).toEqual([]);
  });

  it('shows no table when the preview cannot be made (the load says why)', async () => {
    const shown: (Preview | null)[] = [];
    previewLater(
      async () => Promise.reject(new Error('unreadable')),
      source,
      () => true,
      (p) => shown.push(p),
    );
    await vi.advanceTimersByTimeAsync(PREVIEW_AFTER_MS);
    expect(shown).toEqual([null]);
  });
});
