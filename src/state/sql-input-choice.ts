import { SQL_INPUTS, type SqlInput } from '../sql/dialect-sql';

/*
 * The SQL panel's input (`text`: the file's columns as text; `typed`: a warehouse table whose
 * timestamp column is already an instant) as last chosen in this browser, else `text`. Kept
 * like the engine (sql-dialect-choice.ts): a preference in localStorage; a browser that
 * refuses storage starts on `text` each time.
 */

const KEY = 'sessionizer.sql-input';

export function isSqlInput(value: string | null): value is SqlInput {
  return (SQL_INPUTS as readonly string[]).includes(value ?? '');
}

export function rememberedSqlInput(storage: Pick<Storage, 'getItem'> | null = safeStorage()): SqlInput {
  const saved = storage?.getItem(KEY) ?? null;
  return isSqlInput(saved) ? saved : 'text';
}

export function rememberSqlInput(choice: SqlInput, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
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
