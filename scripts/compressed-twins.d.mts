// Types of compressed-twins.mjs for the TypeScript side; keep in step with its JSDoc.

export interface ZipInput {
  name: string;
  data: Uint8Array;
  store?: boolean;
  declaredSize?: number;
  declaredCrc?: number;
  flags?: number;
  method?: number;
  zip64Size?: boolean;
}

export function zip(entries: ZipInput[], options?: { declaredEntries?: number }): Uint8Array;
export function gzip(data: string | Uint8Array): Uint8Array;
export function csvToNdjson(csv: string): string;

export type TwinName =
  | 'clicks.csv.gz'
  | 'clicks.tsv.gz'
  | 'clicks.ndjson.gz'
  | 'clicks.json.gz'
  | 'clicks-download'
  | 'clicks.zip'
  | 'clicks-parts.zip'
  | 'amplitude-export.zip';

export function compressedTwins(options?: { seed?: number; events?: number }): { csv: string; twins: Record<TwinName, Uint8Array>; hourlyFiles: number };
export function hostileArchives(): { name: string; data: Uint8Array; message: RegExp; why: string }[];
