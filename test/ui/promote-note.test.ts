import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from './serve.js';
import { gantry, pushImage, serve } from './serve.js';

const run = promisify(execFile);
const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

interface Recorded {
  readonly id: string;
  readonly reason: string;
  readonly state: string;
  readonly commitSha?: string;
  readonly trigger: { readonly actor?: string; readonly rollbackOf?: string };
}

/** The commit as Git has it: author, committer, subject, and its trailers. */
async function commitOf(dir: string, sha: string) {
  const git = async (format: string) =>
    (await run('git', ['--git-dir', join(dir, 'config.git'), 'log', '-1', `--format=${format}`, sha])).stdout.trim();
  const trailers = Object.fromEntries(
    (await git('%(trailers:only,unfold)'))
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
  );
  return { author: await git('%an <%ae>'), committer: await git('%cn <%ce>'), subject: await git('%s'), trailers };
}

describe.skipIf(!hasTool('chromium'))('the promote dialog keeps the note a person types', () => {
  let tmp: TempDir;
  let browser: Browser;
  let dir: string;
  let server: Served;
  let token: string;
  let page: Page;

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-note-');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    dir = join(tmp.path, 'sandbox');
    await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    token = (
      await gantry(['token', 'create', '--name', 'Dana Reviewer <dana@example.com>', '--role', 'admin'], dir)
    ).trim();
    server = await serve(dir);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/pipelines/app/phases/staging`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }, 180_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await server?.stop();
    await tmp?.remove();
  });

  /** The newest promotion of a phase, through the API, once it settled. */
  const newest = async (phase: string): Promise<Recorded> => {
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${server.url}/api/v1/pipelines/app/phases/${phase}/history?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const p = ((await res.json()) as { items: Recorded[] }).items[0];
      if (p && (p.state === 'succeeded' || p.state === 'failed')) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no settled promotion of ${phase}`);
  };

  /** Opens the dialog with `open`, types `note` into it, and confirms with `confirm`. */
  const withNote = async (open: () => Promise<void>, note: string, confirm: string) => {
    await open();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No gates: the promotion starts at once.').waitFor();
    const field = dialog.getByLabel('Note for the history (optional)');
    await field.click();
    await field.pressSequentially(note);
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('GIVEN a new image WHEN a person promotes staging with a note THEN the promotion records the note, and the commit is theirs with the note as Gantry-Reason', async () => {
    const v2 = await pushImage(dir);
    await page.getByRole('button', { name: 'Re-read now' }).click();
    await page.locator('.phase-node[data-phase="oci"]', { hasText: short(v2) }).waitFor({ timeout: 20_000 });
    await withNote(
      () => page.getByRole('button', { name: 'Promote', exact: true }).click(),
      'QA sign-off for ticket OPS-42',
      'Promote',
    );
    const p = await newest('staging');
    expect(p).toMatchObject({ state: 'succeeded', reason: 'QA sign-off for ticket OPS-42' });
    // the history row shows the note, not the automatic text
    await page.locator('.history-item', { hasText: 'QA sign-off for ticket OPS-42' }).waitFor();
    const c = await commitOf(dir, p.commitSha as string);
    expect(c.trailers).toMatchObject({
      'Gantry-Reason': 'QA sign-off for ticket OPS-42',
      'Gantry-Actor': 'Dana Reviewer <dana@example.com>',
      'Gantry-Promotion-Id': p.id,
    });
    expect(c.author).toBe('Dana Reviewer <dana@example.com>');
    expect(c.committer).toBe('Gantry <gantry@example.com>');
  }, 120_000);

  it('GIVEN a second promotion WHEN rolled back from history with a note THEN the rollback keeps the note, its commit says rollback and names what it reverts', async () => {
    const first = await newest('staging');
    const v3 = await pushImage(dir);
    await page.getByRole('button', { name: 'Re-read now' }).click();
    await page.locator('.phase-node[data-phase="oci"]', { hasText: short(v3) }).waitFor({ timeout: 20_000 });
    await withNote(() => page.getByRole('button', { name: 'Promote', exact: true }).click(), 'next build', 'Promote');
    const second = await newest('staging');
    expect(second.reason).toBe('next build');

    const row = page.locator('.history-item', { hasText: 'QA sign-off for ticket OPS-42' });
    await withNote(() => row.getByRole('button', { name: /^Roll back to/ }).click(), 'v3 breaks checkout', 'Roll back');
    const back = await newest('staging');
    expect(back).toMatchObject({
      state: 'succeeded',
      reason: 'v3 breaks checkout',
      trigger: { actor: 'Dana Reviewer <dana@example.com>', rollbackOf: first.id },
    });
    const c = await commitOf(dir, back.commitSha as string);
    expect(c.subject).toMatch(/^rollback app staging to /);
    expect(c.trailers).toMatchObject({ 'Gantry-Reason': 'v3 breaks checkout', 'Gantry-Reverts': first.id });
    // the pin it leaves says why, in the person's words
    const pin = page.locator('.phase-node[data-phase="staging"] [data-hold="pin"]');
    await pin.filter({ hasText: 'v3 breaks checkout' }).waitFor();
    expect(await pin.textContent()).toMatch(
      /^pinned by Dana Reviewer <dana@example\.com>: rollback to \S+: v3 breaks checkout$/,
    );
    // the dashboard still calls it a rollback, though its reason is the person's note
    await page
      .locator('.history-item', { hasText: 'v3 breaks checkout' })
      .getByText(/roll(ed)? ?back/i)
      .first()
      .waitFor();
  }, 120_000);
});
