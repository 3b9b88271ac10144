import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiLineage } from '@gantry/api';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from './serve.js';
import { gantry, pushImage, serve } from './serve.js';

interface Recorded {
  readonly id: string;
  readonly state: string;
  readonly toDigest: string;
  readonly reason: string;
}

describe.skipIf(!hasTool('chromium'))('the lineage page', () => {
  let tmp: TempDir;
  let browser: Browser;
  let dir: string;
  let server: Served;
  let token: string;
  let page: Page;
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  /** The newest promotion of staging once it settled. */
  const newest = async (): Promise<Recorded> => {
    for (let i = 0; i < 300; i++) {
      const p = (await api<{ items: Recorded[] }>('/api/v1/pipelines/app/phases/staging/history?limit=1')).items[0];
      if (p && (p.state === 'succeeded' || p.state === 'failed')) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no settled promotion of staging');
  };
  /** Promotes staging from its upstream through the API and waits until that promotion settles. */
  const promoteStaging = async (): Promise<Recorded> => {
    for (let i = 0; i < 100; i++) {
      const r = await api<{ kind: string; promotion?: Recorded }>(
        '/api/v1/pipelines/app/phases/staging/promotions',
        {},
      );
      if (r.kind === 'queued' && r.promotion) {
        for (let j = 0; j < 300; j++) {
          const p = await api<Recorded>(`/api/v1/promotions/${r.promotion.id}`);
          if (p.state === 'succeeded' || p.state === 'failed') return p;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
      // the new image is not read yet: read again
      await api('/api/v1/pipelines/app?refresh=true');
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('staging was never behind its upstream');
  };

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-lineage-');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    dir = join(tmp.path, 'sandbox');
    await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    token = (await gantry(['token', 'create', '--name', 'Dana <dana@example.com>', '--role', 'admin'], dir)).trim();
    server = await serve(dir);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/pipelines/app`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }, 180_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await server?.stop();
    await tmp?.remove();
  });

  it('GIVEN two builds promoted to staging WHEN the pipeline page opens THEN the lineage shows each with when it entered and left staging; picking the older one shows its diff and releasing it records a promotion', async () => {
    await pushImage(dir);
    const first = await promoteStaging();
    expect(first.state).toBe('succeeded');
    await pushImage(dir);
    const second = await promoteStaging();
    expect(second.state).toBe('succeeded');
    expect(second.toDigest).not.toBe(first.toDigest);
    const lineage = await api<ApiLineage>('/api/v1/pipelines/app/lineage');
    expect(lineage.versions.map((v) => v.digest)).toEqual(expect.arrayContaining([first.toDigest, second.toDigest]));

    await page.reload();
    const table = page.getByRole('table');
    const row = table.locator(`tr[data-digest="${first.toDigest}"]`);
    await row.waitFor({ timeout: 20_000 });
    // it entered staging and left it when the second came; the second is there now
    await expect(row.locator('td[data-phase="staging"]').textContent()).resolves.toContain('→');
    await table.locator(`tr[data-digest="${second.toDigest}"] td[data-phase="staging"]`, { hasText: 'now' }).waitFor();

    await row.getByRole('button', { name: /^Release .* to staging$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /^Release .* to app\/staging$/ }).waitFor();
    // the diff preview writes the older digest back
    await dialog
      .locator('.diff', { hasText: first.toDigest.slice(7, 30) })
      .first()
      .waitFor({ timeout: 20_000 });
    const field = dialog.getByLabel('Note for the history (optional)');
    await field.click();
    await field.pressSequentially('back to the first build');
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const released = await newest();
    expect(released).toMatchObject({ state: 'succeeded', toDigest: first.toDigest, reason: 'back to the first build' });
    // the table follows: the first build is in staging again, a second stay
    await table
      .locator(`tr[data-digest="${first.toDigest}"] td[data-phase="staging"]`, { hasText: '2 times' })
      .waitFor({ timeout: 20_000 });
  }, 120_000);

  it('GIVEN the phase page WHEN it opens THEN the chain of its version is a timeline from the source commit to verified', async () => {
    await page.goto(`${server.url}/pipelines/app/phases/staging`);
    const chain = page.getByRole('region', { name: 'How it got here' });
    await chain.locator('.chain-link').nth(6).waitFor({ timeout: 20_000 });
    const kinds = await chain.locator('.chain-link').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['source', 'ci', 'image', 'config', 'applied', 'healthy', 'verified']);
    await expect(chain.locator('.chain-link[data-kind="config"]').getAttribute('data-state')).resolves.toBe('done');
    await chain.locator('.chain-link[data-kind="config"]', { hasText: 'back to the first build' }).waitFor();
  }, 60_000);
});
