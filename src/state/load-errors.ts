/** A failure the person can act on: names the file and says what was expected. */
export class LoadError extends Error {
  constructor(
    readonly fileName: string,
    readonly problem: string,
  ) {
    super(`${fileName}: ${problem}`);
    this.name = 'LoadError';
  }
}

/** The first lines of an engine error, without the SQL it echoes or its error class. */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^LINE \d+:/.test(l) && !/^\^/.test(l));
  const message = lines
    .slice(0, 3)
    .join(' ')
    .replace(/^[A-Z][A-Za-z ]*Error: /, '');
  return message.length > 400 ? `${message.slice(0, 399)}…` : message;
}

/** DuckDB's out-of-memory error, said so a person can act on it. */
export function outOfMemoryProblem(message: string): string | null {
  if (!/out of memory|allocation failure|failed to allocate|malloc/i.test(message)) return null;
  return "ran out of memory in the browser (DuckDB-WASM holds about 3 GB and cannot spill to disk). Load a smaller file, or run the SQL panel's query on DuckDB or PostgreSQL.";
}

/** A few column names, each cut short, for messages. */
export function listColumns(columns: readonly string[], max = 8): string {
  // Cut by code points, so an emoji is never split in half.
  const shown = columns.slice(0, max).map((c) => {
    const points = Array.from(c);
    return `"${points.length > 40 ? `${points.slice(0, 39).join('')}…` : c}"`;
  });
  return shown.join(', ') + (columns.length > max ? `, … (${columns.length} columns)` : '');
}

/** A failed job's message: a LoadError as it is, anything else named by its file (out of memory said so). */
export function describeFailure(fileName: string, error: unknown): string {
  if (error instanceof LoadError) return error.message;
  const message = engineMessage(error);
  return `${fileName}: ${outOfMemoryProblem(message) ?? message}`;
}
