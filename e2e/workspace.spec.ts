import { test, expect, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/*
 * The threshold workspace (issue 15): the sticky bar, the charts beside the controls, the
 * snapping slider, the charts as controls, the mapping's evidence, the state in the address,
 * and the keyboard and phone layouts.
 */

const SNAPS = [0.1, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 240, 480, 720, 1440, 2880, 10080];

async function loadSample(app: AppPage): Promise<void> {
  await app.page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv');
}

async function gapMinutes(page: Page): Promise<number> {
  return Number(await page.getByTestId('app-status').getAttribute('data-gap-minutes'));
}

test.describe('at 1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the slider and both charts are on screen together after loading the sample', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    await expect(page.getByTestId('gap-slider')).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('gap-histogram')).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('threshold-curve')).toBeInViewport({ ratio: 1 });
    for (const id of ['stat-events', 'stat-users', 'stat-sessions', 'stat-skipped-rows']) await expect(page.getByTestId(id)).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath('workspace-1280.png') });
  });

  test('the slider, the figures and an error stay in sight when the page is scrolled down', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    const sessions = await app.stat('sessions');
    await page.getByTestId('sql-panel').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('gap-slider')).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('stat-sessions')).toBeInViewport();
    await page.getByTestId('file-input').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('just one column\nhello\nworld\n') });
    await expect(app.error).toBeVisible();
    await expect(app.error).toBeInViewport();
    await expect(app.error).toContainText('broken.csv');
    // The failed load left the sample loaded and shown.
    await expect(app.status).toHaveAttribute('data-file', 'clicks-sample.csv');
    expect(await app.stat('sessions')).toBe(sessions);
  });

  test('a drag on the slider snaps to the values people report; with Shift it does not', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    const box = await page.getByTestId('gap-slider').boundingBox();
    if (!box) throw new Error('no slider');
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => gapMinutes(page)).not.toBe(30);
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    const snapped = await gapMinutes(page);
    expect(SNAPS).toContain(snapped);
    await expect(page.getByTestId('gap-minutes')).toHaveValue(String(snapped));

    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.61, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.623, y, { steps: 3 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => gapMinutes(page)).not.toBe(snapped);
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    expect(SNAPS).not.toContain(await gapMinutes(page));

    // Page Up jumps to the next value people report.
    await app.setGap(31);
    await page.getByTestId('gap-slider').focus();
    await page.keyboard.press('PageUp');
    await app.waitReady('clicks-sample.csv', 45);
  });

  test('clicking the histogram or the curve sets the threshold there, and the line drags', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    const plot = async (id: string) => {
      const box = await page.getByTestId(id).locator('.threshold-drag').boundingBox();
      if (!box) throw new Error(`no ${id}`);
      return box;
    };
    // Near the right end of the histogram's axis: days.
    const h = await plot('gap-histogram');
    await page.mouse.click(h.x + h.width * 0.8, h.y + h.height * 0.5);
    await expect.poll(() => gapMinutes(page)).not.toBe(30);
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    const fromHistogram = await gapMinutes(page);
    expect(fromHistogram).toBeGreaterThan(60);
    expect(SNAPS).toContain(fromHistogram);
    await expect(page.getByTestId('gap-histogram')).toHaveAttribute('data-threshold-minutes', String(fromHistogram));

    // A drag along the curve leaves the threshold where the pointer is let go: a lower one.
    const c = await plot('threshold-curve');
    await page.mouse.move(c.x + c.width * 0.7, c.y + c.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * 0.35, c.y + c.height * 0.5, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => gapMinutes(page)).toBeLessThan(fromHistogram);
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    const fromCurve = await gapMinutes(page);
    expect(fromCurve).toBeLessThan(fromHistogram);
    expect(SNAPS).toContain(fromCurve);
    await expect(page.getByTestId('threshold-curve')).toHaveAttribute('data-current-sessions', String(await app.stat('sessions')));
  });

  test('the address carries the rules, the preset, the mapping and the user: a fresh page with the same file shows the same', async ({ page, context }) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    // The mapping starts folded: one line, the selects usable, the evidence behind "Edit columns".
    await expect(page.getByTestId('column-evidence')).toHaveCount(0);
    await page.getByTestId('rule-timezone').selectOption('Asia/Kolkata');
    await page.getByTestId('rule-preset').selectOption('mixpanel');
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('map-url').selectOption('referrer');
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('top-users-events').click();
    const user = await page.locator('[data-testid=top-users] button').first().textContent();
    await page.locator('[data-testid=top-users] button').first().click();
    const timeline = page.getByTestId('timeline');
    await expect(timeline).not.toHaveAttribute('data-user', '');
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    const shownUser = await timeline.getAttribute('data-user');
    expect(user).toContain(shownUser ?? '-');
    const before = { stats: await app.stats(), timelineSessions: await timeline.getAttribute('data-sessions') };
    // The address is written once the settings rest (and the mapping job has finished).
    await expect.poll(() => new URL(page.url()).searchParams.get('user')).toBe(shownUser);
    await expect.poll(() => new URL(page.url()).searchParams.get('col-url')).toBe('referrer');
    const link = new URL(page.url());
    expect(link.searchParams.get('gap')).toBe('30');
    expect(link.searchParams.get('preset')).toBe('mixpanel');
    expect(link.searchParams.get('midnight')).toBe('Asia/Kolkata');
    expect(link.searchParams.get('col-url')).toBe('referrer');

    const fresh = new AppPage(await context.newPage());
    await fresh.open(link.search);
    await loadSample(fresh);
    await expect(fresh.page.getByTestId('map-url')).toHaveValue('referrer');
    await expect(fresh.page.getByTestId('rule-preset')).toHaveValue('mixpanel');
    await expect(fresh.page.getByTestId('rule-timezone')).toHaveValue('Asia/Kolkata');
    await expect(fresh.page.getByTestId('rule-midnight')).toBeChecked();
    const freshTimeline = fresh.page.getByTestId('timeline');
    await expect(freshTimeline).toHaveAttribute('data-user', shownUser ?? '');
    await expect(fresh.status).toHaveAttribute('data-state', 'ready');
    await expect(freshTimeline).toHaveAttribute('data-sessions', before.timelineSessions ?? '');
    expect(await fresh.stats()).toEqual(before.stats);

    // Custom rules and another threshold travel too.
    await fresh.page.getByTestId('rule-max-events').fill('20');
    await fresh.page.getByTestId('rule-max-events').press('Enter');
    await fresh.setGap(45);
    await expect(fresh.page.getByTestId('rule-preset')).toHaveValue('custom');
    // So do the user filter, the compared threshold and the display zone.
    await fresh.page.getByTestId('exclude-events-over').fill('500');
    await expect(fresh.page.getByTestId('stat-excluded-users')).not.toHaveAttribute('data-value', '0');
    await fresh.page.getByTestId('compare-gap-minutes').fill('90');
    await fresh.page.getByTestId('compare-gap-minutes').press('Enter');
    await fresh.page.getByTestId('display-timezone').selectOption('Asia/Tokyo');
    await expect(fresh.page.getByTestId('threshold-diff')).toHaveAttribute('data-sessions-b', /\d+/);
    await expect(fresh.status).toHaveAttribute('data-state', 'ready');
    const custom = await fresh.stats();
    const excluded = await fresh.page.getByTestId('stat-excluded-users').getAttribute('data-value');
    const diff = fresh.page.getByTestId('threshold-diff');
    const comparedSessions = await diff.getAttribute('data-sessions-b');
    await expect.poll(() => new URL(fresh.page.url()).searchParams.get('max-events')).toBe('20');
    await expect.poll(() => new URL(fresh.page.url()).searchParams.get('gap')).toBe('45');
    await expect.poll(() => new URL(fresh.page.url()).searchParams.get('exclude-over')).toBe('500');
    await expect.poll(() => new URL(fresh.page.url()).searchParams.get('compare')).toBe('90');
    await expect.poll(() => new URL(fresh.page.url()).searchParams.get('tz')).toBe('Asia/Tokyo');
    const third = new AppPage(await context.newPage());
    await third.open(new URL(fresh.page.url()).search);
    await loadSample(third);
    await expect(third.status).toHaveAttribute('data-gap-minutes', '45');
    await expect(third.page.getByTestId('rule-max-events')).toHaveValue('20');
    await expect(third.page.getByTestId('exclude-events-over')).toHaveValue('500');
    await expect(third.page.getByTestId('stat-excluded-users')).toHaveAttribute('data-value', excluded ?? '');
    await expect(third.page.getByTestId('compare-gap-minutes')).toHaveValue('90');
    await expect(third.page.getByTestId('threshold-diff')).toHaveAttribute('data-sessions-b', comparedSessions ?? '');
    await expect(third.page.getByTestId('display-timezone')).toHaveValue('Asia/Tokyo');
    await expect(third.status).toHaveAttribute('data-state', 'ready');
    expect(await third.stats()).toEqual(custom);
  });

  test("a link's columns that the file lacks leave the detected mapping, with a note", async ({ page }) => {
    const app = new AppPage(page);
    await app.open('?col-user=visitor&col-url=referrer');
    await loadSample(app);
    await expect(page.getByTestId('url-note')).toContainText('"visitor"');
    await expect(page.getByTestId('map-user')).toHaveValue('user_id');
    await expect(page.getByTestId('map-url')).toHaveValue('url');
  });

  test('the keyboard reaches the user search in five key presses through the skip links', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expect(page.locator(':focus')).toHaveText("Skip to a user's sessions");
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('user-search')).toBeFocused();
  });

  test('the mapping offers the fuller user column when the chosen one leaves most rows skipped', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    const rows = ['user_id,user_pseudo_id,timestamp,page'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 10 === 0 ? `u${i % 7}` : ''},p${i % 13},2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z,/p${i % 5}`);
    await page.getByTestId('file-input').setInputFiles({ name: 'ga4ish.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\n')}\n`) });
    await app.waitReady('ga4ish.csv');
    await expect(page.getByTestId('map-user')).toHaveValue('user_id');
    const warning = page.getByTestId('mapping-warning');
    await expect(warning).toContainText('90.0% of the rows');
    await page.getByTestId('edit-columns').click();
    await expect(page.getByTestId('column-evidence').locator('tr[data-column="user_id"]')).toHaveAttribute('data-filled', '0.1000');
    await expect(page.getByTestId('map-user').locator('option[value="user_pseudo_id"]')).toContainText('100% filled, 13 distinct');
    await page.getByTestId('use-better-user').click();
    await expect(page.getByTestId('map-user')).toHaveValue('user_pseudo_id');
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    expect(await app.stat('skipped-rows')).toBe(0);
    await expect(warning).toHaveCount(0);
  });
});

test.describe('at 390×844 (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('nothing overflows the screen and the threshold bar stays at the top', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: testInfo.outputPath('workspace-390.png') });
    await page.getByTestId('top-users-events').click();
    await page.locator('[data-testid=top-users] button').first().click();
    await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-user', '');
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('timeline').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('gap-slider')).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath('workspace-390-timeline.png') });
    await page.screenshot({ path: testInfo.outputPath('workspace-390-full.png'), fullPage: true });
  });
});

test.describe('in dark mode', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });

  test('the page follows the colour scheme', async ({ page }, testInfo) => {
    const app = new AppPage(page);
    await app.open();
    await loadSample(app);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(20, 23, 29)');
    await page.screenshot({ path: testInfo.outputPath('workspace-dark.png') });
  });
});
