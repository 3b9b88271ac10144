import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@gantry/store';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDeliveryHistory } from '../store/metrics-history.js';
import type { Served } from './serve.js';
import { gantry, serve } from './serve.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));

/**
 * The dashboard's metrics page in headless Chromium against `gantry serve`, over the seeded week
 * of test/store/metrics-history.ts recorded as the sandbox's pipeline `app`.
 */
describe.skipIf(!hasTool('chromium'))('delivery metrics page in a real browser', () => {
  let tmp: TempDir;
  let browser: Browser;
  let server: Served;
  let page: Page;

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-metrics-');
    await mkdir(ARTIFACTS, { recursive: true });
    const dir = join(tmp.path, 'sandbox');
    await gantry(['sandbox', 'init', dir], tmp.path);
    const store = await seedDeliveryHistory(
      (now) => openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db'), now }),
      { shop: 'app' },
    );
    await store.close();
    server = await serve(dir);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await page.screenshot({ path: join(ARTIFACTS, 'failed-metrics.png'), fullPage: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tmp?.remove();
  });

  const figure = (name: string) => page.locator(`.metric[data-metric="${name}"]`);

  it('GIVEN the seeded week WHEN the pipeline page opens THEN it shows the hand-worked figures, their charts and each phase', async () => {
    await page.goto(`${server.url}/delivery-metrics?pipeline=app&from=2025-03-01&to=2025-03-08`);
    await figure('deployment-frequency').waitFor();
    // app: staging 5 + production 2 = 7 deployments over 7 days
    await expect(figure('deployment-frequency').textContent()).resolves.toContain('1/day');
    await expect(figure('deployment-frequency').textContent()).resolves.toContain('7 deployments');
    // lead times [2, 2, 5, 23, 66] h: median 5 h; p90 = rank ceil(4.5) = 5 -> 66 h
    const lead = await figure('lead-time').textContent();
    expect(lead).toContain('5h');
    expect(lead).toContain('p90 2d 18h');
    // 3 of 7 failed: 42.9%
    await expect(figure('change-failure-rate').textContent()).resolves.toContain('42.9%');
    await expect(figure('change-failure-rate').textContent()).resolves.toContain('3 of 7 failed');
    // restores [3, 12, 120] h: median 12 h
    await expect(figure('time-to-restore').textContent()).resolves.toContain('12h');
    // the total's two charts and each phase's two, drawn on canvases
    await page.locator('.metrics-chart canvas').nth(5).waitFor();
    expect(await page.locator('.metrics-chart').count()).toBe(6);
    const staging = await page.locator('tr[data-phase="app/staging"]').innerText();
    expect(staging.split('\t').map((c) => c.trim())).toEqual([
      'app',
      'staging',
      '5',
      '5/week',
      '3h 30m / 2d 18h',
      '40% (2/5)',
      '7h 30m',
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'metrics-app.png'), fullPage: true });
  });

  it('GIVEN the overview WHEN the header link is followed THEN the last 30 days are shown, and a week without deployments says so', async () => {
    await page.goto(server.url);
    await page.locator('header a', { hasText: 'Delivery metrics' }).click();
    await figure('deployment-frequency').waitFor();
    expect(new URL(page.url()).pathname).toBe('/delivery-metrics');
    await expect(page.locator('nav[aria-label="Period"] a[aria-current="page"]').innerText()).resolves.toBe('30d');
    await page.goto(`${server.url}/delivery-metrics?from=2020-01-01&to=2020-01-08`);
    await page.locator('text=No deployments in this period').waitFor();
    await expect(figure('deployment-frequency').textContent()).resolves.toContain('0 deployments');
  });

  it('GIVEN a metrics URL opened directly WHEN the page shows its figures THEN they are the answer requested while its code loaded, asked once', async () => {
    const asked: string[] = [];
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      tab.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname === '/api/v1/metrics') asked.push(url.search);
      });
      await tab.goto(`${server.url}/delivery-metrics?to=2025-03-08&pipeline=app&from=2025-03-01`);
      await tab.locator('.metric[data-metric="deployment-frequency"]').waitFor();
      await expect(tab.locator('.metric[data-metric="deployment-frequency"]').textContent()).resolves.toContain(
        '7 deployments',
      );
      expect(asked).toEqual(['?from=2025-03-01&to=2025-03-08&pipeline=app']);
      // a refresh asks again (the early answer is used once)
      await tab.locator('button.reread').click();
      await expect.poll(() => asked.length).toBe(2);
    } finally {
      await tab.close();
    }
  });
});
