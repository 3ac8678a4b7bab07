import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';

test('the SQL panel gives the sessions query as a dbt model: models/sessions.sql and models/schema.yml', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('sql-dialect').selectOption('postgres');
  await page.getByTestId('sql-table').fill('analytics.clicks');
  await page.getByTestId('sql-output').selectOption('dbt');

  await expect(page.getByTestId('dbt-model-name')).toHaveText('models/sessions.sql');
  await expect(page.getByTestId('dbt-schema-name')).toHaveText('models/schema.yml');
  const model = page.getByTestId('dbt-model-text');
  await expect(model).toContainText("{{ config(materialized='table') }}");
  await expect(model).toContainText("FROM {{ source('clickstream', 'clicks') }} AS __src");
  expect((await model.textContent())?.startsWith("{{ config(materialized='table') }}")).toBe(true);
  const schema = page.getByTestId('dbt-schema-text');
  await expect(schema).toContainText('version: 2');
  await expect(schema).toContainText('- name: clickstream');
  await expect(schema).toContainText('schema: "analytics"');
  await expect(schema).toContainText('- name: sessions');
  await expect(schema).toContainText(/- name: session_id\s+description: .*\s+data_tests:\s+- unique\s+- not_null/);
  await expect(page.getByTestId('dbt-model-copy')).toBeVisible();
  await expect(page.getByTestId('dbt-schema-copy')).toBeVisible();

  // Back to a plain query: the single panel again.
  await page.getByTestId('sql-output').selectOption('sessions');
  await expect(page.getByTestId('sql-panel')).toContainText('FROM "analytics"."clicks" AS __src');
  await expect(page.getByTestId('dbt-files')).toHaveCount(0);
});
