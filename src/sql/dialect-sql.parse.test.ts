import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { type GoldenEngine, goldenTexts } from '../test/dialect-golden';

// The texts for engines CI cannot run, parsed by node-sql-parser (a grammar per SQL dialect,
// in Node only), and the PySpark code compiled by Python. DuckDB and PostgreSQL are run
// instead (dialect-sql.test.ts, postgres.integration.test.ts).

/**
 * A construct our text uses that the engine documents but the parser's grammar for that
 * dialect lacks. The test checks that the text as generated still fails on it (so the gap
 * is noticed once the parser learns it), and that the text parses once each gap is given
 * a stand-in the grammar knows: only the stand-in text is parsed, never shown or run.
 */
interface KnownGap {
  construct: string;
  pattern: RegExp;
  standIn: string;
}

interface ParsedDialect {
  engine: GoldenEngine;
  /** node-sql-parser's `database` option for the engine. */
  database: string;
  gaps: KnownGap[];
}

const RANGE_FRAME: KnownGap = {
  // The running session count needs RANGE (peers: equal timestamps count together); ROWS
  // would split equal timestamps arbitrarily, so our text keeps RANGE.
  construct: 'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (window frame)',
  pattern: /RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW/g,
  standIn: 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
};

const PARSED: ParsedDialect[] = [
  {
    engine: 'bigquery',
    database: 'bigquery',
    gaps: [
      // GoogleSQL: WITH RECURSIVE, for the walk of the rules that depend on the session so far.
      { construct: 'WITH RECURSIVE', pattern: /^WITH RECURSIVE$/gm, standIn: 'WITH' },
    ],
  },
  { engine: 'snowflake', database: 'snowflake', gaps: [RANGE_FRAME] },
  {
    // node-sql-parser has no Spark grammar; Hive's is the closest (Spark SQL grew from HiveQL).
    engine: 'spark',
    database: 'hive',
    gaps: [
      // Spark: struct(t.*) packs a row (the original columns, kept whole whatever their names).
      { construct: 'a qualified star as a function argument: struct(__src.*)', pattern: /struct\((_+src)\.\*\)/g, standIn: 'struct($1.x)' },
      // Spark 3.x: trim(BOTH chars FROM str), the white space the page trims.
      { construct: "trim(BOTH '…' FROM …)", pattern: /trim\(BOTH '[^']*' FROM /g, standIn: 'trim(' },
      RANGE_FRAME,
      // Spark 3.4+: a zone-less timestamp literal, so the session time zone does not apply.
      { construct: "TIMESTAMP_NTZ '…' (typed literal)", pattern: /TIMESTAMP_NTZ '/g, standIn: "TIMESTAMP '" },
      // Spark: a div b, integer division.
      { construct: 'the div operator (integer division)', pattern: / div /g, standIn: ' / ' },
      // Spark: the empty array typed for aggregate()'s start value.
      { construct: 'CAST(array() AS ARRAY<BOOLEAN>) (a complex type in a cast)', pattern: /CAST\(array\(\) AS ARRAY<BOOLEAN>\)/g, standIn: 'array()' },
      // Spark 3: higher-order functions (aggregate, zip_with) take lambdas.
      { construct: '(acc, e) -> … and acc -> … (lambdas)', pattern: /(\(_+[a-z]+, _+[a-z]+\)|_+[a-z]+) -> /g, standIn: '' },
    ],
  },
];

const parser = new Parser();
function parseError(sql: string, database: string): string | null {
  try {
    parser.astify(sql, { database });
    return null;
  } catch (e) {
    // peggy's errors carry where the grammar stopped; the line there says which construct.
    const at = (e as { location?: { start: { line: number; column: number } } }).location?.start;
    const line = at ? sql.split('\n')[at.line - 1] : undefined;
    return at && line !== undefined ? `line ${at.line}, column ${at.column}: ${line.trim()}` : String(e);
  }
}

describe('generated SQL: parsed by a parser of each dialect (node-sql-parser)', () => {
  for (const { engine, database, gaps } of PARSED) {
    const texts = goldenTexts().filter((t) => t.engine === engine);
    it.each(texts.map((t) => [t.file, t.text] as const))(`%s parses as '${database}'${gaps.length ? ', known gaps aside' : ''}`, (_file, sql) => {
      let standIn = sql;
      for (const gap of gaps) standIn = standIn.replace(gap.pattern, gap.standIn);
      expect(parseError(standIn, database)).toBeNull();
    });

    for (const gap of gaps) {
      it(`known gap of '${database}': ${gap.construct} is used and still not parsed`, () => {
        const uses = texts.filter((t) => t.text.search(gap.pattern) >= 0);
        expect(uses.length).toBeGreaterThan(0);
        // Every other gap given its stand-in, this one alone makes the text fail.
        for (const { text } of uses) {
          let rest = text;
          for (const other of gaps) if (other !== gap) rest = rest.replace(other.pattern, other.standIn);
          expect(parseError(rest, database)).not.toBeNull();
        }
      });
    }
  }
});

/** $PYTHON_FOR_TESTS, else the project's .venv, else python3 on the PATH. */
function findPython(): string | null {
  const candidates = [process.env.PYTHON_FOR_TESTS, '.venv/bin/python', 'python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    if (c.includes('/') && !existsSync(c)) continue;
    if (spawnSync(c, ['--version']).status === 0) return c;
  }
  return null;
}

describe('generated PySpark: compiles in Python', () => {
  const python = findPython();
  const texts = goldenTexts().filter((t) => t.engine === 'pyspark');

  it('a Python is found ($PYTHON_FOR_TESTS, .venv/bin/python or python3)', () => {
    expect(python).not.toBeNull();
  });

  it.each(texts.map((t) => [t.file, t.text] as const))('%s is valid Python', (_file, code) => {
    if (!python) throw new Error('no Python: set PYTHON_FOR_TESTS');
    const run = spawnSync(python, ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
