#!/usr/bin/env node
// The folder layering of src/ (README "How it is built"), checked on every `npm run lint`.
// Reads every import of src/ with Vite's own parser (type-only imports, re-exports,
// dynamic imports and `new URL('./x.worker.ts', import.meta.url)` count too) and fails on
// an import the table below does not allow, on an import cycle, and on app code
// importing tests. Exit code 1 lists every offending import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAst } from 'vite';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SRC = join(ROOT, 'src');

/*
 * Which folders each folder of src/ may import (besides itself). Imports flow one way:
 *
 *   main.tsx → App.tsx → components → state → stats → ingest → engine → sql → domain
 *                        components → charts → domain       state → export → domain
 *
 * (a folder may skip the ones below it only where listed). `app` is src/App.tsx and
 * `main` src/main.tsx, the composition root that hands the engine and workers to the store.
 * src/test is test support: app code never imports it (nor any *.test.ts).
 */
const ALLOWED = {
  domain: [],
  sql: ['domain'],
  engine: ['sql', 'domain'], // sql: the statements run when an engine starts
  export: ['domain'],
  ingest: ['engine', 'sql', 'domain'], // the row ingest inserts Arrow batches and unions them
  stats: ['ingest', 'domain'], // the stats worker runs the quick read
  state: ['engine', 'sql', 'ingest', 'stats', 'export', 'domain'],
  charts: ['domain'],
  components: ['state', 'charts', 'domain'],
  app: ['state', 'components'],
  main: ['app', 'state', 'engine', 'ingest', 'stats', 'export'],
  test: ['state', 'stats', 'ingest', 'export', 'engine', 'sql', 'domain'],
};

/** Single imports allowed beyond the table, each with its reason. */
const EXCEPTIONS = [
  // The SQL panel shows the sessionization query in other dialects for the user to copy;
  // the app never sends it.
  { from: 'src/components/SqlPanel.tsx', to: 'src/sql/dialect-sql.ts' },
  // The same query as a dbt model and its schema.yml, shown for the user to copy.
  { from: 'src/components/DbtFiles.tsx', to: 'src/sql/dbt-sql.ts' },
  // A re-export for src/state (app-store.ts) until the store rewrite imports src/sql directly.
  { from: 'src/stats/gap-columns-sql.ts', to: 'src/sql/gap-columns-sql.ts' },
];

/** Packages only some folders may import. */
const PACKAGES_ONLY_IN = {
  '@duckdb/duckdb-wasm': ['engine', 'test'],
  // A devDependency that parses the SQL of other engines in tests (*.test.ts); never shipped.
  'node-sql-parser': [],
};
/** Folders that import no package at all: their code runs anywhere (browser, worker, Node). */
const NO_PACKAGES = ['sql'];

/*
 * Import cycles between modules fail the check, except inside the folders listed here
 * (none: a folder that needs a cycle lists it here with the reason; `--verbose` shows them).
 */
const CYCLES_TOLERATED_IN = [];

const isTest = (file) => /\.test\.tsx?$/.test(file);

function folderOf(file) {
  const parts = relative(SRC, file).split('/');
  if (parts.length === 1) return parts[0] === 'App.tsx' ? 'app' : parts[0] === 'main.tsx' ? 'main' : parts[0];
  return parts[0];
}

function sourceFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== join(SRC, 'test', 'fixtures') && name !== 'node_modules') files.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Every module specifier a file imports, re-exports, imports dynamically or starts as a worker. */
function specifiers(file) {
  const ast = parseAst(readFileSync(file, 'utf8'), { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' });
  const found = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) {
      found.push(node.source.value);
    } else if (node.type === 'ImportExpression' && node.source.type === 'Literal') {
      found.push(node.source.value);
    } else if (
      node.type === 'NewExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'URL' &&
      node.arguments[0]?.type === 'Literal' &&
      node.arguments[1]?.type === 'MetaProperty'
    ) {
      found.push(node.arguments[0].value);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast);
  return found.filter((s) => typeof s === 'string');
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {}
  }
  return null;
}

const problems = [];
const graph = new Map();
const files = sourceFiles(SRC);
for (const file of files) {
  const from = folderOf(file);
  const name = relative(ROOT, file);
  const edges = [];
  for (const specifier of specifiers(file)) {
    if (!specifier.startsWith('.')) {
      const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (isTest(file) || pkg.startsWith('node:')) continue;
      if (NO_PACKAGES.includes(from)) problems.push(`${name}: src/${from} imports no package, found '${specifier}'`);
      const only = PACKAGES_ONLY_IN[pkg];
      if (only && !only.includes(from)) problems.push(`${name}: only ${only.map((f) => `src/${f}`).join(', ')} may import '${pkg}'`);
      continue;
    }
    const target = resolveRelative(file, specifier);
    if (!target?.startsWith(SRC) || !/\.tsx?$/.test(target)) continue;
    const to = folderOf(target);
    const targetName = relative(ROOT, target);
    if (!isTest(file) && from !== 'test' && (isTest(target) || to === 'test')) {
      problems.push(`${name} imports test code: ${targetName}`);
      continue;
    }
    if (isTest(file)) continue;
    edges.push(target);
    if (from === to) continue;
    if (ALLOWED[from]?.includes(to)) continue;
    if (EXCEPTIONS.some((e) => e.from === name && e.to === targetName)) continue;
    problems.push(`${name} imports ${targetName}: src/${from} may import only ${(ALLOWED[from] ?? []).map((f) => `src/${f}`).join(', ') || 'itself'}`);
  }
  if (!isTest(file)) graph.set(file, edges);
}

// Import cycles between app modules (Tarjan's strongly connected components).
let index = 0;
const indices = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(v) {
  indices.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indices.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
  }
  if (low.get(v) === indices.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!indices.has(v)) connect(v);
for (const component of cycles) {
  const folders = new Set(component.map(folderOf));
  if (folders.size === 1 && CYCLES_TOLERATED_IN.includes([...folders][0])) {
    if (process.argv.includes('--verbose'))
      console.log(
        `tolerated cycle: ${component
          .map((f) => relative(ROOT, f))
          .sort()
          .join(', ')}`,
      );
    continue;
  }
  problems.push(
    `import cycle: ${component
      .map((f) => relative(ROOT, f))
      .sort()
      .join(', ')}`,
  );
}

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} import(s) break the layering of src/ (scripts/check-layers.mjs):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, imports follow the layering of src/.`);
