import { useEffect, useRef, useState } from 'react';
import type { Answer } from '../state/app-store';

/**
 * Asks `ask` whenever `askKey` changes, with at most one question in flight: changes made
 * meanwhile are asked once, after it, with the settings of that moment, so a slider drag
 * or a fast scroll queues one query, not one per step. Every answer is kept (the caller
 * compares its key with the settings shown, so a late one is shown as stale, never as
 * current).
 */
export function useLatestAnswer<T>(askKey: string, ask: () => Promise<Answer<T>> | null): Answer<T> | null {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const latestAsk = useRef(ask);
  latestAsk.current = ask;
  const flight = useRef({ busy: false, again: false, mounted: true });

  useEffect(() => {
    const f = flight.current;
    f.mounted = true;
    return () => {
      f.mounted = false;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: askKey is what the question depends on; `ask` is read through a ref.
  useEffect(() => {
    const f = flight.current;
    if (f.busy) {
      f.again = true;
      return;
    }
    f.busy = true;
    void (async () => {
      do {
        f.again = false;
        const asked = latestAsk.current();
        const got = asked ? await asked : null;
        if (got && f.mounted) setAnswer(got);
      } while (f.again && f.mounted);
      f.busy = false;
    })();
  }, [askKey]);

  return answer;
}
