import { generateClickstream } from '../../scripts/clickstream-generator.mjs';
import type { FileSource } from '../state/raw-table';

/** A file whose bytes are `text` in UTF-8, as the store is given it. */
export function textSource(name: string, text: string): FileSource {
  const data = new TextEncoder().encode(text);
  return { name, size: data.length, data };
}

/** A CSV of `user_id,timestamp,url` and the given data lines. */
export function clickLines(name: string, lines: readonly string[]): FileSource {
  return textSource(name, ['user_id,timestamp,url', ...lines].join('\n'));
}

/** A generated clickstream (scripts/clickstream-generator.mjs) of `events` events. */
export function clickstreamSource(name: string, events: number, seed: number, outOfOrder = 0): FileSource {
  return textSource(name, `${[...generateClickstream({ seed, events, outOfOrder })].join('\n')}\n`);
}
