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
