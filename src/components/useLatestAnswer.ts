import { useEffect, useRef, useState } from 'react';
import type { Answer } from '../state/app-store';

/**
 * Asks `ask` whenever `askKey` changes, with at most one question in flight: changes made
 * meanwhile are asked once, after it, with the settings of that moment, so a slider drag
 * or a fast scroll queues one query, not one per step. Every answer is kept (the caller
 * compares its key with the settings shown, so a late one is shown as stale, never as
 * current).
 *
 * When `settleKey` (the settings part of the question: threshold, rules, filters) changes,
 * the question waits until the figures for the new settings are on screen (`settleKey` is
 * null until then) and have rested there for SETTLE_MS: these panels then leave the stats
 * worker to the figures, which a threshold change is judged by. Someone stepping through
 * thresholds (a drag, arrow keys, typed values) gets each one's figures without waiting
 * behind a session list made for the one before, and the panels ask once when they stop.
 * A change of `askKey` alone (a scroll) is asked at once.
 */
const SETTLE_MS = 150;

export function useLatestAnswer<T>(askKey: string, ask: () => Promise<Answer<T>> | null, settleKey: string | null = askKey): Answer<T> | null {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const latestAsk = useRef(ask);
  latestAsk.current = ask;
  const flight = useRef({ busy: false, again: false, mounted: true });
  const settled = useRef<{ key: string | null; timer: ReturnType<typeof setTimeout> | null }>({ key: null, timer: null });
  const [restedKey, setRestedKey] = useState<string | null>(null);

  useEffect(() => {
    const f = flight.current;
    const s = settled.current;
    f.mounted = true;
    return () => {
      f.mounted = false;
      if (s.timer !== null) clearTimeout(s.timer);
    };
  }, []);

  // The first settings are asked at once; a change of them after SETTLE_MS of rest.
  useEffect(() => {
    const s = settled.current;
    if (s.timer !== null) clearTimeout(s.timer);
    s.timer = null;
    if (settleKey === null) return;
    if (s.key === null) {
      s.key = settleKey;
      setRestedKey(settleKey);
      return;
    }
    s.timer = setTimeout(() => {
      s.timer = null;
      s.key = settleKey;
      setRestedKey(settleKey);
    }, SETTLE_MS);
  }, [settleKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: askKey is what the question depends on; `ask` is read through a ref.
  useEffect(() => {
    if (settleKey === null || restedKey !== settleKey) return;
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
  }, [askKey, restedKey]);

  return answer;
}
