import { DIALECTS } from '../sql/dialect-sql';

/*
 * The SQL panel opens on the engine last chosen in this browser (people stay with their
 * warehouse), else DuckDB. Kept in localStorage: a preference, not data; a browser that
 * refuses storage (private modes, disabled cookies) just starts on DuckDB each time.
 */

export type DialectChoice = (typeof DIALECTS)[number] | 'pyspark';

const KEY = 'sessionizer.sql-dialect';

export function isDialectChoice(value: string | null): value is DialectChoice {
  return value === 'pyspark' || (DIALECTS as readonly string[]).includes(value ?? '');
}

export function rememberedDialect(storage: Pick<Storage, 'getItem'> | null = safeStorage()): DialectChoice {
  const saved = storage?.getItem(KEY) ?? null;
  return isDialectChoice(saved) ? saved : 'duckdb';
}

export function rememberDialect(choice: DialectChoice, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(KEY, choice);
  } catch {
    // Storage full or refused: the choice holds for this page only, as the panel's state.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
