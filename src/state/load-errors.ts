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
  const message = lines.slice(0, 3).join(' ').replace(/^[A-Z][A-Za-z ]*Error: /, '');
  return message.length > 400 ? `${message.slice(0, 399)}…` : message;
}
