/** A File that records the size of every slice read from it, and refuses to be read whole. */
export function recordingFile(bytes: Uint8Array<ArrayBuffer>, name: string): { file: File; reads: number[] } {
  const reads: number[] = [];
  class RecordingFile extends File {
    override slice(start?: number, end?: number): Blob {
      reads.push((end ?? this.size) - (start ?? 0));
      return super.slice(start, end);
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      throw new Error(`${name} was read whole, not in slices`);
    }
  }
  return { file: new RecordingFile([bytes], name), reads };
}
