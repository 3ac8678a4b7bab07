import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';

test('the SQL panel opens on DuckDB, then on the engine last chosen in this browser', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  const dialect = page.getByTestId('sql-dialect');
  await expect(dialect).toHaveValue('duckdb');
  await dialect.selectOption('snowflake');
  await page.reload();
  await page.getByTestId('load-sample').click();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('sql-dialect')).toHaveValue('snowflake');
});

test('the typed input gives the short query, is remembered, and every rule on screen is in the query', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('sql-dialect').selectOption('bigquery');
  const input = page.getByTestId('sql-input');
  await expect(input).toHaveValue('text');
  const panel = page.getByTestId('sql-panel');
  await expect(panel).toContainText('REGEXP_CONTAINS');
  await input.selectOption('typed');
  await expect(panel).toContainText('holds instants (a TIMESTAMP)');
  await expect(panel).toContainText('UNIX_MICROS(__src.`timestamp`)');
  await expect(panel).not.toContainText('REGEXP_CONTAINS');
  await expect(panel).not.toContainText('WITH RECURSIVE');

  // A rule that depends on the session so far: walked by a recursive CTE.
  const maxEvents = page.getByTestId('rule-max-events');
  await maxEvents.fill('3');
  await maxEvents.press('Enter');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(panel).toContainText('Maximum events: the event that would be number 4 of a session starts a new one.');
  await expect(panel).toContainText('WITH RECURSIVE');
  await page.getByTestId('rule-midnight').check();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(panel).toContainText('DATE(TIMESTAMP_MICROS(__ts_us)');

  await page.reload();
  await page.getByTestId('load-sample').click();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('sql-input')).toHaveValue('typed');
  await expect(page.getByTestId('sql-dialect')).toHaveValue('bigquery');
});
