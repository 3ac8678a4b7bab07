import { test, expect } from '@playwright/test';
import { AppPage } from './app-page';

/*
 * boundary.csv, by hand (rule: a gap >= threshold starts a session):
 *   alice 10:00:00, 10:29:59.999 (gap 29:59.999), 10:59:59.999 (gap 30:00.000), 11:00 (1 ms)
 *     -> 2 sessions at 30 min, 1 at 31 min, 3 at 0.5 min
 *   bob 12:00, 12:00 (tie), 12:30Z (-04:00 offset; gap 30 min) -> 2 sessions at 30 min
 *   carol one event -> 1 session
 *   2 rows skipped (no user; unreadable timestamp)
 */
test('sessionizes a chosen file by the >= rule, in a non-UTC browser', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  expect(await app.stats()).toEqual({ events: 8, users: 3, sessions: 5, skipped: 2 });
  await app.setGap(31);
  expect(await app.stat('sessions')).toBe(3);
  await app.setGap(0.5);
  expect(await app.stat('sessions')).toBe(6);
});
