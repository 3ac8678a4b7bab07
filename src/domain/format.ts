/** Numbers for people; the exact values stay in data-value attributes. */

// One formatter for every call: toLocaleString builds a new one each time, which cost
// milliseconds per threshold change across the figures and chart labels.
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(abs >= 1e10 ? 0 : 1)} B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)} M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(abs >= 1e5 ? 0 : 1)} k`;
  return COUNT_FORMAT.format(n);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 1) return seconds === 0 ? '0 s' : `${(seconds * 1000).toFixed(0)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return rest === 0 ? `${minutes} min` : `${minutes} min ${String(rest).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatMinutes(minutes: number): string {
  return formatDuration(minutes * 60);
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}

/** An instant in microseconds as ISO 8601 UTC (never the browser's zone). */
export function formatInstantUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().replace('.000Z', 'Z');
}

const EXACT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count in full with thousands separators ("16,123"), where counts are compared. */
export function formatExact(n: number): string {
  return EXACT_FORMAT.format(n);
}

/** A relative change, signed, with enough digits to tell close counts apart: "+1.25%", "−0.40%", "0%". */
export function formatChange(change: number): string {
  if (change === 0) return '0%';
  const digits = Math.abs(change) < 0.1 ? 2 : 1;
  return `${change > 0 ? '+' : '−'}${(Math.abs(change) * 100).toFixed(digits)}%`;
}
