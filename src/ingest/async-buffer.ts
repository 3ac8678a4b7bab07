import type { AsyncBuffer } from 'hyparquet';

/** Random access to a Blob for hyparquet, reading only the slices it asks for. */
export function asyncBufferFromFile(blob: Blob): AsyncBuffer {
  return {
    byteLength: blob.size,
    slice: (start: number, end?: number) => blob.slice(start, end).arrayBuffer(),
  };
}
