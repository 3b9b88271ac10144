import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fluxEventFor } from '@gantry/deployments';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from './serve.js';
import { configRepo, gantry, pushImage, serve } from './serve.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));
const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

describe.skipIf(!hasTool('chromium'))('dashboard in a real browser against gantry serve', () => {
  let tmp: TempDir;
  let browser: Browser;

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-');
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await tmp?.remove();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** The newest history entry of the open phase panel that moved to `version`, once settled as `state`. */
  const historyEntry = (page: Page, version: string, state = 'succeeded') =>
    page.locator(`.history-item[data-state="${state}"]`, { hasText: version }).first();

  describe('on an open sandbox server', () => {
    let dir: string;
    let server: Served;
    let page: Page;
    let v2: string;

    beforeAll(async () => {
      dir = join(tmp.path, 'open');
      await gantry(['sandbox', 'init', dir], tmp.path);
      v2 = await pushImage(dir);
      server = await serve(dir);
      page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    }, 60_000);
    afterEach(async (ctx) => {
      // what the page showed when a step failed
      if (ctx.task.result?.state === 'fail')
        await shot(page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });
    afterAll(async () => {
      await page?.close();
      await server?.stop();
    });

    it('GIVEN a new image WHEN staging then production are promoted through the dialog THEN history shows them live and the config repository has the commits', async () => {
      await page.goto(server.url);
      const row = page.locator('.rows .row[data-pipeline="app"]');
      await row.waitFor();
      await expect(row.locator('.cell[data-phase="staging"] .behind-mark').count()).resolves.toBe(1);
      await shot(page, '01-overview');

      // the name opens the pipeline (each phase cell opens its phase)
      await row.locator('.cell.name a').click();
      await page.locator('.phase-node').nth(2).waitFor();
      expect(await page.locator('.phase-node').count()).toBe(3);
      // edges are drawn once React Flow has measured the nodes
      await page.locator('.react-flow__edge').nth(1).waitFor({ timeout: 5_000 });
      expect(await page.locator('.react-flow__edge').count()).toBe(2);
      await shot(page, '02-pipeline');

      await page.getByRole('link', { name: 'staging', exact: true }).click();
      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('.line-add', { hasText: v2 }).first().waitFor();
      // Enter confirms once the gates are known (the button's words depend on them)
      await dialog.getByText('No gates: the promotion starts at once.').waitFor();
      await shot(page, '03-promote-dialog');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await historyEntry(page, short(v2)).waitFor();

      await page.getByRole('link', { name: 'production', exact: true }).click();
      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      await dialog.locator('.line-add', { hasText: v2 }).first().waitFor();
      await dialog.getByRole('button', { name: 'Promote' }).click();
      await historyEntry(page, short(v2)).waitFor();
      await shot(page, '04-production-promoted');

      const repo = await configRepo(dir);
      expect(repo.subject).toBe(`release app@${short(v2)} to production`);
      expect(await repo.file('env/production/deployment.yaml')).toContain(v2);
    });

    it('GIVEN promotions started elsewhere THEN they appear without a reload; WHEN rolled back to the earlier one THEN the config repository runs it again and the phase shows its pin', async () => {
      const v3 = await pushImage(dir);
      const before = await page.evaluate('performance.timeOrigin');
      // no webhook announced the push: "Re-read now" has the server read the registry at once
      await page.getByRole('button', { name: 'Re-read now' }).click();
      await page.locator('.phase-node[data-phase="oci"]', { hasText: short(v3) }).waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).pathname).toBe('/pipelines/app/phases/production');
      for (const phase of ['staging', 'production']) {
        const r = await fetch(`${server.url}/api/v1/pipelines/app/phases/${phase}/promotions`, {
          method: 'POST',
          headers: { 'x-gantry-request': '1' },
        });
        expect(r.status).toBe(202);
        const { promotion } = (await r.json()) as { promotion: { id: string } };
        // production promotes from staging: each waits for the one before
        await waitForPromotion(server.url, promotion.id);
      }
      await historyEntry(page, short(v3)).waitFor();
      // the same page: no navigation happened
      expect(await page.evaluate('performance.timeOrigin')).toBe(before);
      // live updates rebuilt the graph's nodes: each is still drawn (not left hidden awaiting a measurement), edges too
      for (const phase of ['oci', 'staging', 'production'])
        expect(await page.locator(`.phase-node[data-phase="${phase}"]`).isVisible()).toBe(true);
      await page.locator('.react-flow__edge').nth(1).waitFor({ timeout: 5_000 });
      expect(await page.locator('.react-flow__edge').count()).toBe(2);
      expect((await configRepo(dir)).subject).toBe(`release app@${short(v3)} to production`);

      const earlier = page.locator('.history-item', { hasText: new RegExp(`→ \\S+@${short(v2)}`) });
      await earlier.getByRole('button', { name: /^Roll back to/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('.line-remove', { hasText: v3 }).first().waitFor();
      await dialog.locator('.line-add', { hasText: v2 }).first().waitFor();
      await shot(page, '05-rollback-dialog');
      await dialog.getByRole('button', { name: 'Roll back' }).click();
      await page.locator('.history-item[data-state="succeeded"]', { hasText: 'rollback to' }).waitFor();
      // a person's rollback pins the phase: the node says who and why, and the panel offers Unpin
      const pin = page.locator('.phase-node[data-phase="production"] [data-hold="pin"]');
      await pin.waitFor();
      expect(await pin.textContent()).toBe(`pinned by anonymous: rollback to app@${short(v2)}`);
      await page.getByRole('region', { name: 'Pins and pauses' }).getByRole('button', { name: 'Unpin' }).waitFor();
      await shot(page, '06-rolled-back');

      const repo = await configRepo(dir);
      expect(repo.subject).toContain('production');
      const file = await repo.file('env/production/deployment.yaml');
      expect(file).toContain(v2);
      expect(file).not.toContain(v3);
    });
  });

  describe('on a sandbox whose staging Flux applies and an HTTP check proves', () => {
    const FLUX_SECRET = 'ui-flux-secret';
    let dir: string;
    let server: Served;
    let health: Server;
    let healthUrl: string;

    beforeAll(async () => {
      // the service the check probes: a local endpoint that answers healthy
      health = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
      healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
      dir = join(tmp.path, 'flux');
      await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
      await writeFile(join(dir, 'gantry.yaml'), trackedYaml(FLUX_SECRET, healthUrl));
      await pushImage(dir);
      server = await serve(dir);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      await new Promise((r) => health?.close(r));
    });

    const flux = (ref: { name: string }, commit: string) => {
      const req = fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', ...ref },
        commit,
        branch: 'main',
        ok: true,
        time: new Date(),
        secret: FLUX_SECRET,
      });
      return fetch(`${server.url}/api/v1/webhooks/flux`, { method: 'POST', body: req.body, headers: req.headers });
    };

    it('GIVEN staging promoted WHEN Flux reports its commit healthy THEN the graph, the phase panel with its check, and the overview say healthy · verified, without a reload', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      try {
        await page.goto(`${server.url}/pipelines/app/phases/staging`);
        const node = page.locator('.phase-node[data-phase="staging"]');
        await node.waitFor();
        const r = await fetch(`${server.url}/api/v1/pipelines/app/phases/staging/promotions`, {
          method: 'POST',
          headers: { 'x-gantry-request': '1' },
        });
        expect(r.status).toBe(202);
        const { promotion } = (await r.json()) as { promotion: { id: string } };
        const commit = await waitForPromotion(server.url, promotion.id);
        // pushed, nothing reported yet
        await node.locator('.tracking', { hasText: 'not applied yet' }).waitFor({ timeout: 10_000 });
        const before = await page.evaluate('performance.timeOrigin');

        // WHEN
        expect((await flux({ name: 'staging' }, commit)).status).toBe(202);

        // THEN
        await node.locator('.tracking', { hasText: 'healthy · verified' }).waitFor({ timeout: 15_000 });
        const panel = page.getByRole('region', { name: 'Deployment and verification' });
        await panel.locator('[data-check="health"][data-status="passed"]').waitFor();
        expect(await panel.locator('[data-deployment]').getAttribute('data-deployment')).toBe('healthy');
        expect(await page.getByRole('button', { name: 'Re-run verification' }).isEnabled()).toBe(true);
        await panel.locator('.check-output summary').click();
        expect(await panel.locator('.check-output pre').textContent()).toContain('ok');
        expect(await page.evaluate('performance.timeOrigin')).toBe(before);
        await shot(page, '09-staging-healthy-verified');

        await page.getByRole('link', { name: 'Overview' }).click();
        const cell = page.locator('.rows .row[data-pipeline="app"] .cell[data-phase="staging"] .tracking');
        await cell.waitFor();
        expect(await cell.textContent()).toBe('healthy · verified');
        await shot(page, '10-overview-verified');
      } finally {
        await page.close();
      }
    });

    it('GIVEN a report about an object no phase names THEN the deployer reports page lists it with the mapping that would match it', async () => {
      expect((await flux({ name: 'billing' }, 'b'.repeat(40))).status).toBe(202);
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      try {
        await page.goto(server.url);
        await page.getByRole('link', { name: 'Deployer reports' }).click();
        const item = page.locator('.deployer-event[data-object="billing"]');
        await item.waitFor();
        expect(await item.locator('.mapping-hint code').textContent()).toBe(
          'deployer: { kind: flux-kustomization, namespace: flux-system, name: billing }',
        );
        await shot(page, '11-unmatched-deployer-reports');
      } finally {
        await page.close();
      }
    });
  });

  describe('on a server whose production needs an approval', () => {
    let dir: string;
    let server: Served;
    let tokens: { ann: string; bob: string };
    let v1: string;

    beforeAll(async () => {
      dir = join(tmp.path, 'gated');
      await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
      const file = join(dir, 'gantry.yaml');
      // GIVEN production lets a version in once an admin other than the requester approves it
      const yaml = (await readFile(file, 'utf8')).replace(
        '        message: "release {{version}} to production"\n',
        `        message: "release {{version}} to production"
        gates:
          - { kind: approval, name: release-approval, count: 1, roles: [admin] }
`,
      );
      await writeFile(file, `${yaml}server:\n  schedules: []\n`);
      const token = async (name: string) =>
        (await gantry(['token', 'create', '--name', name, '--role', 'admin'], dir)).trim();
      tokens = { ann: await token('ann'), bob: await token('bob') };
      v1 = await pushImage(dir);
      server = await serve(dir);
    }, 60_000);
    afterAll(() => server?.stop());

    /** A page of its own (its own localStorage) signed in with `token`, at `path`. */
    const signedIn = async (token: string, path: string) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(`${server.url}${path}`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      return page;
    };

    it('GIVEN production gated by an approval WHEN ann requests it in the dialog THEN it waits with the gate in words; WHEN bob approves it in his dashboard THEN ann sees it promoted, live', async () => {
      const ann = await signedIn(tokens.ann, '/pipelines/app/phases/staging');
      let bob: Page | undefined;
      try {
        // staging has no gates: it promotes at once
        await ann.getByRole('button', { name: 'Promote', exact: true }).click();
        const dialog = ann.getByRole('dialog');
        await dialog.getByText('No gates: the promotion starts at once.').waitFor();
        await dialog.getByRole('button', { name: 'Promote' }).click();
        await historyEntry(ann, short(v1)).waitFor();

        // WHEN ann opens production's dialog
        await ann.getByRole('link', { name: 'production', exact: true }).click();
        await ann.getByRole('button', { name: 'Promote', exact: true }).click();
        // THEN the gate says it waits, why, and what would unblock it
        const gate = dialog.locator('[data-gate="release-approval"]');
        await gate.waitFor();
        expect(await gate.getAttribute('data-outcome')).toBe('wait');
        expect(await gate.locator('.badge').textContent()).toBe('waiting');
        expect(await gate.locator('.gate-reason').textContent()).toBe('0 of 1 approval');
        expect(await gate.locator('.gate-unblock').textContent()).toContain('one more approval from role admin');
        const request = dialog.getByRole('button', { name: 'Request (waits for approval)' });
        await dialog.locator('.line-add', { hasText: v1 }).first().waitFor();
        await shot(ann, '12-promote-dialog-gated');
        await request.click();
        await dialog.waitFor({ state: 'detached' });

        // THEN production waits: its gate in the panel, and ann (who asked) may not approve it herself
        const waiting = ann.getByRole('region', { name: 'Waiting for gates' });
        await waiting.waitFor();
        expect(await waiting.locator('[data-gate="release-approval"]').getAttribute('data-outcome')).toBe('wait');
        expect(await waiting.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
        await waiting.getByText('ann requested this promotion: their own approval does not count').waitFor();
        await historyEntry(ann, short(v1), 'waiting').waitFor();
        expect((await configRepo(dir)).subject).not.toContain('production');
        await shot(ann, '13-production-waiting');

        // WHEN bob, another admin, approves it in his own dashboard (keyboard: focus Approve, press Enter)
        bob = await signedIn(tokens.bob, '/pipelines/app/phases/production');
        const approve = bob.getByRole('region', { name: 'Waiting for gates' }).getByRole('button', { name: 'Approve' });
        await approve.waitFor();
        expect(await approve.isEnabled()).toBe(true);
        await approve.focus();
        await bob.keyboard.press('Enter');

        // THEN ann's page, without a reload, shows production promoted with the approval recorded on it
        const before = await ann.evaluate('performance.timeOrigin');
        const done = historyEntry(ann, short(v1));
        await done.waitFor({ timeout: 20_000 });
        await waiting.waitFor({ state: 'detached' });
        expect(await ann.evaluate('performance.timeOrigin')).toBe(before);
        await done.locator('details.history-gates summary').click();
        expect(await done.locator('details.history-gates summary').textContent()).toBe('Gates: the gate passed');
        expect(await done.locator('[data-gate="release-approval"] .gate-reason').textContent()).toBe(
          'approved by bob (admin)',
        );
        await shot(ann, '14-production-approved');
        const repo = await configRepo(dir);
        expect(repo.subject).toBe(`release app@${short(v1)} to production`);
        expect(await repo.file('env/production/deployment.yaml')).toContain(v1);

        // AND a pin set in the panel shows who and why on the graph node and in the overview
        const holds = ann.getByRole('region', { name: 'Pins and pauses' });
        await holds.getByRole('button', { name: 'Pin…' }).click();
        // the reason field takes focus as it opens: type, then Enter pins
        // a string, evaluated in the page: this file is type-checked for Node, which has no `document`
        await ann.waitForFunction("document.activeElement?.id === 'hold-reason'");
        await ann.keyboard.type('incident 42');
        await ann.keyboard.press('Enter');
        const marker = ann.locator('.phase-node[data-phase="production"] [data-hold="pin"]');
        await marker.waitFor();
        expect(await marker.textContent()).toBe('pinned by ann: incident 42');
        await holds.getByRole('button', { name: 'Unpin' }).waitFor();
        await shot(ann, '15-production-pinned');
        await ann.getByRole('link', { name: 'Overview' }).click();
        const cell = ann.locator('.rows .row[data-pipeline="app"] .cell[data-phase="production"] [data-hold="pin"]');
        await cell.waitFor();
        expect(await cell.textContent()).toBe('pinned by ann: incident 42');
        await shot(ann, '16-overview-pinned');
      } catch (e) {
        await shot(ann, 'failed-gated-ann');
        if (bob) await shot(bob, 'failed-gated-bob');
        throw e;
      } finally {
        await bob?.close();
        await ann.close();
      }
    });
  });

  describe('on a server that requires tokens', () => {
    let dir: string;
    let server: Served;

    beforeAll(async () => {
      dir = join(tmp.path, 'tokens');
      await gantry(['sandbox', 'init', dir], tmp.path);
      server = await serve(dir);
    }, 60_000);
    afterAll(() => server?.stop());

    it('GIVEN a viewer token WHEN signed in THEN the dashboard reads, and Promote is disabled with the reason', async () => {
      await server.stop();
      const token = (await gantry(['token', 'create', '--name', 'ui', '--role', 'viewer'], dir)).trim();
      // the first token ends open mode after a restart
      server = await serve(dir);
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      try {
        await page.goto(`${server.url}/pipelines/app/phases/staging`);
        await page.getByLabel('API token').fill('gty_wrong');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('does not know this token').waitFor();
        await page.getByLabel('API token').fill(token);
        await shot(page, '07-sign-in');
        await page.getByRole('button', { name: 'Sign in' }).click();

        const promote = page.getByRole('button', { name: 'Promote', exact: true });
        await promote.waitFor();
        expect(await promote.isDisabled()).toBe(true);
        expect(await page.locator('.phase-panel > .blocked-reason').textContent()).toBe(
          'Promoting app/staging needs role promoter; token "ui" has viewer',
        );
        // pins and pauses need the same role
        const holds = page.getByRole('region', { name: 'Pins and pauses' });
        expect(await holds.getByRole('button', { name: 'Pause…' }).isDisabled()).toBe(true);
        expect(await holds.locator('.blocked-reason').textContent()).toBe(
          'Pinning or pausing app/staging needs role promoter; token "ui" has viewer',
        );
        expect(await page.locator('header .who').textContent()).toBe('ui · viewer');
        await shot(page, '08-viewer-promote-disabled');

        // the token survives a reload (localStorage)
        await page.reload();
        await promote.waitFor();
        expect(await page.getByLabel('API token').count()).toBe(0);
      } finally {
        await page.close();
      }
    });
  });
});

/** Resolves with the promotion's commit once it succeeded. */
async function waitForPromotion(url: string, id: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const p = (await (await fetch(`${url}/api/v1/promotions/${id}`)).json()) as { state: string; commitSha?: string };
    if (p.state === 'succeeded') return p.commitSha ?? '';
    if (p.state === 'failed' || p.state === 'superseded') throw new Error(`promotion ${id} ${p.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`promotion ${id} did not settle`);
}

/** The sandbox's pipeline with staging applied by a Flux Kustomization and proven by an HTTP check. */
function trackedYaml(fluxSecret: string, healthUrl: string): string {
  return `dataDir: .gantry
repositories:
  config: { url: ./config.git, branch: main }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
server:
  webhooks:
    flux: { secret: ${fluxSecret} }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source:
          type: git
          repository: config
          path: env/staging/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: http, name: health, url: "${healthUrl}", retries: 1, interval: 10ms, timeout: 2s }
      - name: production
        promotesFrom: staging
        source:
          type: git
          repository: config
          path: env/production/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;
}
