import { useMemo } from 'react';
import { DBT_MODEL_PATH, DBT_SCHEMA_PATH, dbtModelSql, dbtSchemaYml, type DbtSpec } from '../sql/dbt-sql';
import { CopyButton } from './CopyButton';

/** The sessions query as a dbt model: models/sessions.sql and models/schema.yml, each with its own copy button. */
export function DbtFiles({ spec }: { spec: DbtSpec }) {
  const files = useMemo(() => {
    try {
      return [
        { path: DBT_MODEL_PATH, key: 'model', text: dbtModelSql(spec) },
        { path: DBT_SCHEMA_PATH, key: 'schema', text: dbtSchemaYml(spec) },
      ];
    } catch (error) {
      return [{ path: DBT_MODEL_PATH, key: 'model', text: `-- ${error instanceof Error ? error.message : String(error)}` }];
    }
  }, [spec]);
  return (
    <div className="dbt-files" data-testid="dbt-files">
      {files.map((file) => (
        <figure key={file.key} className="dbt-file" data-testid={`dbt-${file.key}`} data-path={file.path}>
          <figcaption className="dbt-file-head">
            <code data-testid={`dbt-${file.key}-name`}>{file.path}</code>
            <CopyButton text={file.text} testId={`dbt-${file.key}-copy`} label={`Copy ${file.path}`} />
          </figcaption>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a file wider or longer than its box scrolls, and a keyboard can scroll only what it can focus (WCAG 2.1.1; axe's scrollable-region-focusable). */}
          <pre className="sql-text" data-testid={`dbt-${file.key}-text`} tabIndex={0}>
            {file.text}
          </pre>
        </figure>
      ))}
    </div>
  );
}
