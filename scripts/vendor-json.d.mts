// Types of vendor-json.mjs for the TypeScript side (the project does not check JS).
// Keep in step with the JSDoc there.

export interface PlainEvent {
  user: string;
  ms: number;
  url: string;
  referrer: string;
  device: string;
}

export interface TwinFile {
  name: string;
  text: string;
}

export const VENDORS: readonly string[];

export function plainEvents(options: { seed: number | string; events: number }): PlainEvent[];
export function vendorRecord(vendor: string, e: PlainEvent, i: number): Record<string, unknown>;
export function vendorTwins(options: { seed: number | string; events: number }): {
  csv: TwinFile;
  twins: (TwinFile & { vendor: string; layout: 'ndjson' | 'array' })[];
};
