import { DIALECT_LABELS, NO_SQL_RULES, sessionsQuery, tableNameParts, TableNameError, typedTimestampText, type DialectQuerySpec } from './dialect-sql';
import { rulesLines } from './dialect-rules-sql';

/*
 * The sessions query as a dbt project's two files: models/sessions.sql (the query of
 * sessionsQuery, reading the panel's table as a dbt source) and models/schema.yml (the source
 * declared, the model's columns described and tested). The model is the sessions query text
 * itself, with its table replaced by `{{ source(...) }}`: nothing is written twice.
 */

export type DbtSpec = Omit<DialectQuerySpec, 'relation'>;

/** The dbt source the model reads; its table is the panel's table name. */
export const DBT_SOURCE = 'clickstream';
export const DBT_MODEL_PATH = 'models/sessions.sql';
export const DBT_SCHEMA_PATH = 'models/schema.yml';

/** Jinja reads `{{`, `{%` and `{#` in the query's text (a column named so): print those braces instead. */
function jinjaText(text: string): string {
  return /\{[{%#]/.test(text) ? text.replaceAll('{', "{{ '{' }}") : text;
}

const jinjaString = (value: string): string => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
/** YAML double-quoted scalar (JSON's escapes are YAML's); dbt renders it with Jinja. */
const yamlString = (value: string): string => JSON.stringify(jinjaText(value));

/** The table name's parts; dbt renders its YAML with Jinja, so braces are refused there. */
function sourceParts(spec: DbtSpec) {
  const parts = tableNameParts(spec.dialect, spec.table);
  for (const p of parts) {
    if (/[{}]/.test(p.name)) throw new TableNameError(`dbt reads braces in "${p.name}" as Jinja: rename the table, or leave the braces out of its name.`);
  }
  const table = parts[parts.length - 1];
  if (!table) throw new TableNameError("Type the name of the table that holds the file's rows.");
  return { table, schema: parts.length >= 2 ? parts[parts.length - 2] : undefined, database: parts.length === 3 ? parts[0] : undefined };
}

/** The `{{ source(...) }}` call the model reads. */
export function dbtSourceRef(spec: DbtSpec): string {
  return `{{ source(${jinjaString(DBT_SOURCE)}, ${jinjaString(sourceParts(spec).table.name)}) }}`;
}

/** models/sessions.sql: the sessions query as a dbt model, materialized as a table. */
export function dbtModelSql(spec: DbtSpec): string {
  // No table or column name can hold a NUL character, so the marker is found only where the table is read.
  const marker = '\u0000source\u0000';
  const sql = sessionsQuery({ ...spec, relation: marker });
  const at = sql.indexOf(marker);
  if (at === -1 || sql.indexOf(marker, at + 1) !== -1) throw new Error('The sessions query should read its table exactly once.');
  const body = `${jinjaText(sql.slice(0, at))}${dbtSourceRef(spec)}${jinjaText(sql.slice(at + marker.length))}`;
  return `{{ config(materialized='table') }}

-- dbt model ${DBT_MODEL_PATH} (${DIALECT_LABELS[spec.dialect]}): one row per session, as the page's sessions export.
-- Reads source('${DBT_SOURCE}', …), declared in ${DBT_SCHEMA_PATH}. \`dbt build --select sessions\` builds and tests it.
${body}
`;
}

const COLUMNS: [string, string][] = [
  ['session_id', '<user_id>-<session_number>: the session, unique in the model.'],
  ['user_id', "The user's id as in the source (trimmed)."],
  ['session_number', "n: the user's sessions counted from 1 in time order."],
  ['start_time', "The session's first event, ISO 8601 UTC with milliseconds (2024-05-01T10:00:00.000Z)."],
  ['end_time', "The session's last event, ISO 8601 UTC with milliseconds."],
  ['duration_seconds', 'end_time - start_time in seconds, to the millisecond.'],
  ['event_count', 'Events in the session.'],
  ['first_url', "The url of the session's first event that has one."],
  ['last_url', "The url of the session's last event that has one."],
];

const NOT_NULL = new Set(['user_id', 'session_number', 'start_time', 'end_time', 'duration_seconds', 'event_count']);

/** models/schema.yml: the source declared, the model and its columns described, session_id tested unique and not null. */
export function dbtSchemaYml(spec: DbtSpec): string {
  const { table, schema, database } = sourceParts(spec);
  const { mapping } = spec;
  const quoting = [...(database?.quoted ? ['database'] : []), ...(schema?.quoted ? ['schema'] : []), ...(table.quoted ? ['identifier'] : [])];
  const op = spec.boundary === 'gt' ? '>' : '>=';
  const further = rulesLines(spec.rules ?? NO_SQL_RULES, spec.excludeUsersOverEvents ?? null, (text) => JSON.stringify(text));
  const noUrl = mapping.url ? '' : ' Empty: no url column was mapped.';
  const columns = COLUMNS.map(([name, description]) => {
    const tests = name === 'session_id' ? ['unique', 'not_null'] : NOT_NULL.has(name) ? ['not_null'] : [];
    const text = name === 'first_url' || name === 'last_url' ? description + noUrl : description;
    return [
      `      - name: ${name}`,
      `        description: ${yamlString(text)}`,
      ...(tests.length > 0 ? ['        data_tests:', ...tests.map((t) => `          - ${t}`)] : []),
    ].join('\n');
  });
  const sourceLines = [
    `  - name: ${DBT_SOURCE}`,
    `    description: ${yamlString(
      spec.input === 'typed'
        ? `The clickstream, typed: ${mapping.timestamp} holds ${typedTimestampText(mapping.format)}, ${mapping.user} the user ids.`
        : 'The clickstream as in the file: every column as text, exactly as the file has it.',
    )}`,
    ...(database ? [`    database: ${yamlString(database.name)}`] : []),
    // Without a schema part the table is in the target's schema (dbt's default would be the source name).
    `    schema: ${schema ? yamlString(schema.name) : '"{{ target.schema }}"'}`,
    ...(quoting.length > 0 ? ['    quoting:', ...quoting.map((q) => `      ${q}: true`)] : []),
    '    tables:',
    `      - name: ${yamlString(table.name)}`,
    `        description: ${yamlString(`user = ${mapping.user}, timestamp = ${mapping.timestamp}${mapping.time ? ` (time of day: ${mapping.time})` : ''}, url = ${mapping.url || 'none'}.`)}`,
  ];
  return `# dbt ${DBT_SCHEMA_PATH}, generated by Sessionizer (dbt 1.8 or later: data_tests).
version: 2

sources:
${sourceLines.join('\n')}

models:
  - name: sessions
    description: ${yamlString(
      `One row per session, as Sessionizer's sessions export: per user, events in time order; an event whose gap to the user's previous event is ${op} ${spec.thresholdMinutes} minutes starts the next session.` +
        (further.length > 0 ? ` Further rules:${further.map((l) => ` ${l.trim()}`).join('')}` : ' Equal timestamps are always in one session.'),
    )}
    config:
      materialized: table
    columns:
${columns.join('\n')}
`;
}
