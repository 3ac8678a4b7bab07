import { expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';

/** The page, driven only through the hooks of shared/ui-contract.md. */
export class AppPage {
  readonly status: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('app-status');
    this.error = page.getByTestId('error');
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.status).toHaveAttribute('data-state', 'empty');
  }

  fixture(name: string): string {
    return path.join(import.meta.dirname, 'fixtures', name);
  }

  async chooseFile(filePath: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(filePath);
  }

  async waitReady(file: string, gapMinutes?: number): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', 'ready');
    await expect(this.status).toHaveAttribute('data-file', file);
    if (gapMinutes !== undefined) await expect(this.status).toHaveAttribute('data-gap-minutes', String(gapMinutes));
  }

  async stat(name: 'events' | 'users' | 'sessions' | 'skipped-rows'): Promise<number> {
    const value = await this.page.getByTestId(`stat-${name}`).getAttribute('data-value');
    return Number(value);
  }

  async stats(): Promise<{ events: number; users: number; sessions: number; skipped: number }> {
    return {
      events: await this.stat('events'),
      users: await this.stat('users'),
      sessions: await this.stat('sessions'),
      skipped: await this.stat('skipped-rows'),
    };
  }

  async setGap(minutes: number): Promise<void> {
    const input = this.page.getByTestId('gap-minutes');
    await input.fill(String(minutes));
    await input.press('Enter');
    await expect(this.status).toHaveAttribute('data-gap-minutes', String(minutes));
    await expect(this.status).toHaveAttribute('data-state', 'ready');
  }

  /** Clicks an export button and returns the downloaded file, parsed when it is CSV. */
  async download(testId: string): Promise<{ name: string; text: string; rows: Record<string, string>[] }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId(testId).click();
    const download = await downloading;
    const file = await download.path();
    const text = await readFile(file, 'utf8');
    const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    return { name: download.suggestedFilename(), text, rows };
  }
}
