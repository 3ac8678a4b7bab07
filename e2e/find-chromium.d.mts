/** The Chromium executable for e2e tests and the benchmark; throws with install advice if none. */
export function findChromium(): string;
/** Launch flags: no sandbox (containers), no GPU, no background requests. */
export const CHROMIUM_ARGS: string[];
