import { detectWeblog, WEBLOG_SNIFF_LINES, WeblogReader } from '../domain/weblog';
import { BATCH_ROWS, BatchBuilder, type RowBatch } from './row-batches';

/*
 * A web-server log (see domain/weblog.ts) as text batches, like NDJSON: one record a line,
 * its fields as named columns; blank lines and W3C directives are not rows; a malformed line
 * is set aside with its line number and why.
 */
export async function* weblogBatches(chunks: AsyncIterable<string>, batchRows = BATCH_ROWS): AsyncGenerator<RowBatch> {
  const builder = new BatchBuilder();
  let reader: WeblogReader | null = null;
  let pending = '';
  let lineNumber = 0;
  const take = (line: string, current: WeblogReader) => {
    lineNumber++;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const read = current.line(lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text);
    if ('record' in read) builder.add(new Map(Object.entries(read.record)));
    else if ('problem' in read) builder.rejected.push({ line: lineNumber, message: read.problem, text: text.slice(0, 200) });
  };
  const startReader = (head: string): WeblogReader => {
    const format = detectWeblog(
      head
        .replace(/^\uFEFF/, '')
        .split('\n', WEBLOG_SNIFF_LINES * 4)
        .map((l) => l.replace(/\r$/, '')),
    );
    if (!format) throw new Error('its first lines are not lines of an Apache/Nginx access log or a W3C extended log');
    return new WeblogReader(format);
  };
  for await (const chunk of chunks) {
    pending += chunk;
    reader ??= startReader(pending);
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline >= 0) {
      take(pending.slice(start, newline), reader);
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (builder.rows >= batchRows) yield builder.take();
  }
  if (pending !== '') {
    reader ??= startReader(pending);
    take(pending, reader);
  }
  if (builder.rows > 0 || builder.rejected.length > 0) yield builder.take();
}
