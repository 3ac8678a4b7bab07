import { describe, expect, it } from 'vitest';
import { SharedCache } from './shared-cache';

/** A value whose making the test finishes by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SharedCache', () => {
  it('makes a value once for callers that ask at the same time, and both use it', async () => {
    const destroyed: string[] = [];
    const cache = new SharedCache<string>(async (v) => {
      destroyed.push(v);
    });
    let made = 0;
    const making = deferred<string>();
    const make = () => {
      made++;
      return making.promise;
    };
    const a = cache.use('k', make, async (v) => `a:${v}`);
    const b = cache.use('k', make, async (v) => `b:${v}`);
    making.resolve('t1');
    expect(await Promise.all([a, b])).toEqual(['a:t1', 'b:t1']);
    expect(made).toBe(1);
    expect(destroyed).toEqual([]);
  });

  it('never destroys a value in use, and destroys idle ones beyond those it keeps', async () => {
    const destroyed: string[] = [];
    const cache = new SharedCache<string>(async (v) => {
      destroyed.push(v);
    }, 1);
    const holding = deferred<void>();
    const held = cache.use(
      'old',
      async () => 'old-table',
      () => holding.promise,
    );
    await cache.use(
      'new',
      async () => 'new-table',
      async () => {},
    );
    // Two entries for one kept: 'old' is in use and 'new' the most recent, so both stay.
    expect(destroyed).toEqual([]);
    holding.resolve();
    await held;
    // Once idle, the surplus entry goes: the least recently asked for.
    expect(destroyed).toEqual(['old-table']);
  });

  it('forgets a failed make, so the next caller tries again', async () => {
    const cache = new SharedCache<string>(async () => {});
    await expect(
      cache.use(
        'k',
        async () => {
          throw new Error('no');
        },
        async (v) => v,
      ),
    ).rejects.toThrow('no');
    expect(
      await cache.use(
        'k',
        async () => 'second',
        async (v) => v,
      ),
    ).toBe('second');
  });

  it('clear destroys every value and refuses later use', async () => {
    const destroyed: string[] = [];
    const cache = new SharedCache<string>(async (v) => {
      destroyed.push(v);
    }, 5);
    await cache.use(
      'a',
      async () => 'ta',
      async () => {},
    );
    await cache.use(
      'b',
      async () => 'tb',
      async () => {},
    );
    await cache.clear();
    expect(destroyed.sort()).toEqual(['ta', 'tb']);
    await expect(
      cache.use(
        'c',
        async () => 'tc',
        async () => {},
      ),
    ).rejects.toThrow(/cleared/);
  });
});
