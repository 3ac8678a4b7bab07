/**
 * Re-encodes a text file to UTF-8 in slices, for encodings DuckDB-WASM does not read
 * (Windows-1252 with its curly quotes and €, UTF-16 big-endian). The result is held in
 * memory, so the caller bounds the file size first.
 */
export async function transcodeToUtf8(data: Blob | Uint8Array, label: string, sliceBytes = 8 << 20): Promise<Uint8Array> {
  const blob = data instanceof Uint8Array ? new Blob([data.slice()]) : data;
  const decoder = new TextDecoder(label);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let offset = 0; offset < blob.size; offset += sliceBytes) {
    const bytes = new Uint8Array(await blob.slice(offset, offset + sliceBytes).arrayBuffer());
    const text = decoder.decode(bytes, { stream: offset + sliceBytes < blob.size });
    const encoded = encoder.encode(offset === 0 ? text.replace(/^\uFEFF/, '') : text);
    parts.push(encoded);
    total += encoded.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
