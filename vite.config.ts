/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { configDefaults } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';

/*
 * The page may load and contact nothing but its own origin. The policy goes into the built
 * index.html only: the dev server injects an inline script for React refresh.
 * 'wasm-unsafe-eval' lets DuckDB compile its wasm; styles allow inline attributes (charts).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * Test files that replace a module (vi.mock) or a global: that would reach the files run after
 * them in the same worker, so they run in a worker of their own (vitest's default isolation).
 */
const ISOLATED_TEST_FILES = ['src/ingest/quick-read-rows-add-up.test.ts'];

// DuckDB-WASM ships its own worker and wasm files; they are imported with `?url` so the
// app serves them itself (no CDN). Pre-bundling would rewrite those paths in `vite dev`.
export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  test: {
    environment: 'node',
    setupFiles: ['src/test/parquet-wasm-setup.ts'],
    // Every core: vitest's default in `run` mode leaves one free (cores - 1), which on CI's
    // 2-core machine ran the ~100 files one at a time. Each worker is one single-threaded
    // process (the DuckDB-WASM engine has no threads), so two run side by side.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ISOLATED_TEST_FILES],
          // One module graph per worker, not one per file: a file no longer imports the app's
          // modules and DuckDB-WASM's glue again, nor compiles its wasm again (node-engine.ts keeps
          // the compiled module per process). On CI's 2 cores the suite took 6.4 min and 9
          // CPU-minutes this way (5.2-7.5 min in clean-clone CI runs) against 8.6 min and 14.5
          // CPU-minutes isolated. Files share nothing
          // else: each makes its own engines and stores, and restores what it spies on
          // (src/test/test-isolation.test.ts keeps module mocks out of this project).
          isolate: false,
        },
      },
      // Extending the root would add to its include, so the includes are the projects' own.
      { extends: true, test: { name: 'unit-isolated', include: ISOLATED_TEST_FILES } },
    ],
  },
});
