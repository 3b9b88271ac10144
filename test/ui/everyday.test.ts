import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from './serve.js';
import { gantry, pushImage, serve } from './serve.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/** svc-00 .. svc-29 beside the sandbox's app: enough rows to scroll on a phone. */
const FLEET = 30;

/**
 * The sandbox's configuration with a fleet beside `app`, reading the same registry and files:
 * every staging promotes from the registry; production of an even one from staging, of an odd one
 * from the registry directly, so after a push the odd ones are behind in production. A third of
 * them belong to team payments.
 */
function fleetYaml(sandbox: string): string {
  const pipelines = Array.from({ length: FLEET }, (_, i) => {
    const name = `svc-${String(i).padStart(2, '0')}`;
    return `  - name: ${name}
    resource: oci-image
    labels: { team: ${i % 3 === 0 ? 'payments' : 'web'} }
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: env/staging/deployment.yaml, updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST } }
      - name: production
        promotesFrom: ${i % 2 === 1 ? 'oci' : 'staging'}
        source: { type: git, repository: config, path: env/production/deployment.yaml, updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST } }
`;
  });
  return `${sandbox.trimEnd()}\n${pipelines.join('')}server:\n  schedules: []\n`;
}

describe.skipIf(!hasTool('chromium'))('everyday dashboard quality in a real browser (1440x900 and 390x844)', () => {
  let tmp: TempDir;
  let browser: Browser;
  let dir: string;
  let server: Served;
  let port: number;

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-everyday-');
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    dir = join(tmp.path, 'fleet');
    await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
    const file = join(dir, 'gantry.yaml');
    await writeFile(file, fleetYaml(await readFile(file, 'utf8')));
    // a new image: every staging is behind, and the odd ones' production too
    await pushImage(dir);
    server = await serve(dir);
    port = Number(new URL(server.url).port);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tmp?.remove();
  });

  const open = async (viewport: { width: number; height: number }, path = '/') => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    return { context, page };
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `everyday-${name}.png`), fullPage: false });
  /** A string evaluated in the page: this file is type-checked for Node, which has no `document`. */
  const inPage = <T>(page: Page, js: string) => page.evaluate(js) as Promise<T>;

  /** axe-core in the page: no serious or critical violation, in the light and the dark scheme. */
  const accessible = async (page: Page, what: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      if (!(await inPage<boolean>(page, 'typeof axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
      const violations = await inPage<unknown[]>(
        page,
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) })))`,
      );
      expect(violations, `${what} (${colorScheme})`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const activeElement = (page: Page) =>
    inPage<{ tag: string; text: string; cls: string }>(
      page,
      '({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent ?? "", cls: document.activeElement?.getAttribute("class") ?? "" })',
    );
  const count = (page: Page) => page.locator('.filter-bar .count').textContent();

  it('GIVEN the overview at 1440x900 THEN each cell says its state in words and opens its phase, the name opens the pipeline; facets and sort are kept in the address across a reload', async () => {
    const { context, page } = await open(DESKTOP);
    try {
      const row = page.locator('.rows .row[data-pipeline="svc-01"]');
      await row.waitFor();
      expect(await page.title()).toBe('Pipelines — Gantry');
      // the first load leaves focus where the browser puts it: only a navigation moves it
      expect((await activeElement(page)).tag).toBe('BODY');
      expect(await count(page)).toBe(`${FLEET + 1} pipelines`);
      // the state in words beside every colour
      expect(await row.locator('.cell[data-phase="staging"] .state-text').textContent()).toBe('▲ behind');
      expect(await row.locator('.cell[data-phase="oci"] .state-text').textContent()).toBe('◆ source');
      const even = page.locator('.rows .row[data-pipeline="svc-00"]');
      expect(await even.locator('.cell[data-phase="production"] .state-text').textContent()).toBe('✓ in sync');
      for (const cell of await page.locator('.rows .row .cell[data-phase]').all())
        expect(await cell.locator('.state-text').count()).toBe(1);
      // a link per cell, the name to the pipeline
      expect(await row.locator('.cell.name a').getAttribute('href')).toBe('/pipelines/svc-01');
      expect(await row.locator('.cell[data-phase="production"] a').getAttribute('href')).toBe(
        '/pipelines/svc-01/phases/production',
      );
      await shot(page, '01-overview');
      await accessible(page, 'overview');

      // WHEN "Behind in production" is pressed, then the team facet picks payments
      await page.getByRole('button', { name: `Behind in production (${FLEET / 2})` }).click();
      await expect.poll(() => count(page)).toBe(`${FLEET / 2} of ${FLEET + 1} pipelines`);
      await page.getByRole('combobox', { name: 'team' }).selectOption('payments');
      await page.getByRole('combobox', { name: 'Sort by' }).selectOption('change');
      await expect.poll(() => count(page)).toBe(`5 of ${FLEET + 1} pipelines`);
      const url = new URL(page.url());
      expect(url.searchParams.get('q')).toBe('production:behind team=payments');
      expect(url.searchParams.get('sort')).toBe('change');
      // THEN a reload (or the link, shared) shows the same
      await page.reload();
      await page.locator('.rows .row').first().waitFor();
      await expect.poll(() => count(page)).toBe(`5 of ${FLEET + 1} pipelines`);
      expect(await page.getByRole('searchbox', { name: 'Filter pipelines' }).inputValue()).toBe(
        'production:behind team=payments',
      );
      expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('change');
      expect(await page.getByRole('button', { name: /^Behind in production/ }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await shot(page, '02-overview-faceted');
    } finally {
      await context.close();
    }
  });

  it('GIVEN the keyboard THEN a cell opens its phase and focus moves to its heading; graph nodes take focus with a visible ring and Enter opens the phase; Promote is disabled with the reason when in sync; each page has its title', async () => {
    const { context, page } = await open(DESKTOP);
    try {
      await page.locator('.rows .row[data-pipeline="svc-01"] .cell[data-phase="production"] a').click();
      await page.waitForURL('**/pipelines/svc-01/phases/production');
      await page.locator('.phase-panel h2').waitFor();
      expect(await page.title()).toBe('svc-01 · production — Gantry');
      await expect.poll(() => activeElement(page)).toMatchObject({ tag: 'H2', text: 'production' });
      // behind (the registry holds a newer image): Promote is offered
      expect(await page.getByRole('button', { name: 'Promote', exact: true }).isEnabled()).toBe(true);

      await page.getByRole('link', { name: 'Overview' }).click();
      await expect.poll(() => activeElement(page)).toMatchObject({ tag: 'H1', text: 'Pipelines' });
      await page.locator('.rows .row[data-pipeline="app"] .cell.name a').click();
      await expect.poll(() => activeElement(page)).toMatchObject({ tag: 'H1', text: 'app' });
      expect(await page.title()).toBe('app — Gantry');
      await page.locator('.react-flow__node').nth(2).waitFor();
      // readable: fitting the graph never shrinks it below 0.6x
      const scale = await inPage<number>(
        page,
        'new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a',
      );
      expect(scale).toBeGreaterThanOrEqual(0.6);
      await accessible(page, 'pipeline');

      // WHEN Tab walks from the heading THEN it reaches a graph node, whose focus ring shows
      let focused = '';
      for (let i = 0; i < 30 && !focused.includes('react-flow__node'); i++) {
        await page.keyboard.press('Tab');
        focused = (await activeElement(page)).cls;
      }
      expect(focused).toContain('react-flow__node');
      const ring = await inPage<{ style: string; width: string }>(
        page,
        '(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: s.outlineWidth }; })()',
      );
      expect(ring.style).toBe('solid');
      expect(Number.parseFloat(ring.width)).toBeGreaterThanOrEqual(2);
      await shot(page, '03-graph-node-focused');
      // WHEN the production node has focus and Enter is pressed THEN production opens
      await page.locator('.react-flow__node[data-id="production"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/pipelines/app/phases/production');
      await expect.poll(() => activeElement(page)).toMatchObject({ tag: 'H2', text: 'production' });
      expect(await page.title()).toBe('app · production — Gantry');
      // THEN production runs what staging holds: Promote is disabled, and says why
      const promote = page.getByRole('button', { name: 'Promote', exact: true });
      expect(await promote.isDisabled()).toBe(true);
      expect(await page.locator('.phase-panel > .blocked-reason').textContent()).toMatch(
        /^Already in sync: production runs what staging holds \(app@/,
      );
      await shot(page, '04-promote-disabled-in-sync');
      await accessible(page, 'phase');

      for (const [path, title] of [
        ['/deployer-events', 'Deployer reports — Gantry'],
        ['/delivery-metrics', 'Delivery metrics — Gantry'],
        ['/nowhere', 'Not found — Gantry'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.locator('main h1').waitFor();
        await page.locator('.notice.loading').waitFor({ state: 'detached' });
        expect(await page.title()).toBe(title);
        await accessible(page, path);
      }
    } finally {
      await context.close();
    }
  });

  it('GIVEN an open overview THEN ages count up live from one clock: 30s, 31s a second later, and 2m (not 3m) at 150 s', async () => {
    const list = (await (await fetch(`${server.url}/api/v1/pipelines`)).json()) as {
      pipelines: { pipeline: string; phases: { phase: string; setBy?: { time?: string } }[] }[];
    };
    const time = list.pipelines.find((p) => p.pipeline === 'app')?.phases.find((p) => p.phase === 'staging')
      ?.setBy?.time;
    expect(time).toBeDefined();
    const arrived = Date.parse(time as string);
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      // the page's clock starts 10 s early and flows until paused at 30 s: loading the page takes some of those 10 s
      await page.clock.install({ time: arrived + 20_000 });
      await page.goto(server.url);
      const age = page.locator('.rows .row[data-pipeline="app"] .cell[data-phase="staging"] .age');
      await age.waitFor();
      await page.clock.pauseAt(arrived + 30_000);
      await expect.poll(() => age.textContent()).toBe('30s');
      // a quarter second at a time: the page's one timer may be due anywhere in the next second
      await expect
        .poll(async () => {
          await page.clock.runFor(250);
          return age.textContent();
        })
        .toBe('31s');
      await page.clock.runFor(119_000);
      await expect.poll(() => age.textContent()).toBe('2m');
      // up to 31.75 + 119 + 28 < 180 s: still 2m
      await page.clock.runFor(28_000);
      expect(await age.textContent()).toBe('2m');
      await expect
        .poll(async () => {
          await page.clock.runFor(250);
          return age.textContent();
        })
        .toBe('3m');
    } finally {
      await context.close();
    }
  });

  it('GIVEN a 390x844 phone THEN the overview header and names stay in view while the rows scroll both ways, a cell opens its phase, and the graph is a readable list', async () => {
    const { context, page } = await open(PHONE);
    try {
      await page.locator('.rows .row').first().waitFor();
      // the page itself never scrolls sideways: the table does, inside
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      expect(await page.locator('details.facets').getAttribute('open')).toBeNull();
      const head = page.locator('.rows .thead');
      const headBefore = await head.boundingBox();
      await inPage(page, 'document.querySelector(".rows").scrollTo(260, 400)');
      await page.waitForTimeout(100);
      const headAfter = await head.boundingBox();
      expect(headAfter?.y).toBe(headBefore?.y);
      const rows = await page.locator('.rows').boundingBox();
      // a row now in view: its name is still at the left edge, its cells moved left under it
      const visible = page.locator('.rows .row', { has: page.locator('.cell.name') }).nth(10);
      const name = await visible.locator('.cell.name').boundingBox();
      expect(Math.abs((name?.x ?? 0) - (rows?.x ?? 0))).toBeLessThanOrEqual(2);
      expect(
        await head
          .locator('.cell.name')
          .boundingBox()
          .then((b) => Math.abs((b?.x ?? 0) - (rows?.x ?? 0))),
      ).toBeLessThanOrEqual(2);
      await shot(page, '05-phone-overview-scrolled');
      await inPage(page, 'document.querySelector(".rows").scrollTo(0, 0)');
      await accessible(page, 'overview on a phone');

      await page.locator('.rows .row[data-pipeline="app"] .cell[data-phase="staging"] a').click();
      await page.waitForURL('**/pipelines/app/phases/staging');
      const list = page.locator('ol.phase-list');
      await list.waitFor();
      expect(await page.locator('.react-flow').count()).toBe(0);
      expect(await list.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-phase')))).toEqual(
        ['oci', 'staging', 'production'],
      );
      const staging = list.locator('li[data-phase="staging"]');
      expect(await staging.locator('.badge').textContent()).toBe('behind');
      expect(await staging.locator('a').getAttribute('aria-current')).toBe('page');
      expect(await staging.textContent()).toContain('from oci (behind)');
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      await shot(page, '06-phone-pipeline-list');
      await accessible(page, 'phase on a phone');
      await list.locator('li[data-phase="production"] a').click();
      await page.waitForURL('**/pipelines/app/phases/production');
    } finally {
      await context.close();
    }
  });

  it('GIVEN the activity page THEN promotions and pins from every pipeline appear live, newest first, narrowed by kind in the address', async () => {
    const { context, page } = await open(DESKTOP, '/activity');
    try {
      await page.locator('main h1', { hasText: 'Activity' }).waitFor();
      expect(await page.title()).toBe('Activity — Gantry');
      const before = await inPage<number>(page, 'performance.timeOrigin');
      // WHEN staging of app is promoted, and production of svc-03 pinned, elsewhere
      const r = await fetch(`${server.url}/api/v1/pipelines/app/phases/staging/promotions`, {
        method: 'POST',
        headers: { 'x-gantry-request': '1' },
      });
      expect(r.status).toBe(202);
      const pin = await fetch(`${server.url}/api/v1/pipelines/svc-03/phases/production/pin`, {
        method: 'POST',
        headers: { 'x-gantry-request': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'incident 7' }),
      });
      expect(pin.status).toBeLessThan(300);
      // THEN both appear without a reload
      const promoted = page.locator('.activity-item[data-kind="promotions"][data-pipeline="app"]');
      await promoted.locator('.badge', { hasText: 'succeeded' }).waitFor({ timeout: 20_000 });
      expect(await promoted.locator('.activity-place').textContent()).toBe('app · staging');
      const held = page.locator('.activity-item[data-kind="holds"][data-pipeline="svc-03"]');
      await held.waitFor();
      expect(await held.textContent()).toContain('pinned by anonymous: incident 7');
      expect(await inPage<number>(page, 'performance.timeOrigin')).toBe(before);
      // newest first: the pin came after the promotion
      const kinds = await page
        .locator('.activity-item')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
      expect(kinds.indexOf('holds')).toBeLessThan(kinds.indexOf('promotions'));
      await shot(page, '07-activity');
      await accessible(page, 'activity');

      await page.getByRole('combobox', { name: 'Show' }).selectOption('holds');
      expect(new URL(page.url()).searchParams.get('kind')).toBe('holds');
      await page.reload();
      await held.waitFor();
      expect(await page.locator('.activity-item[data-kind="promotions"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('GIVEN the server goes away THEN the data stays on screen marked stale and every action is disabled; WHEN it is back THEN the page goes on by itself, no error box', async () => {
    const { context, page } = await open(DESKTOP, '/pipelines/app/phases/staging');
    try {
      const reread = page.getByRole('button', { name: 'Re-read now' });
      // the phase's history has loaded (staging was promoted above): the page keeps it
      await page.locator('.timeline .history-item').first().waitFor();
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.locator('.rows .row[data-pipeline="app"]').waitFor();

      // WHEN the server stops
      await server.stop();
      const banner = page.getByRole('alert').filter({ hasText: 'Connection lost' });
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.textContent()).toMatch(/showing data from \d+s ago/);
      // THEN the rows stay, and no error box
      expect(await page.locator('.rows .row').count()).toBeGreaterThan(5);
      expect(await page.locator('.notice.error').count()).toBe(0);
      await shot(page, '08-offline-overview');
      await accessible(page, 'overview while the connection is lost');
      // a page seen before opens from what it loaded, with every action disabled and the reason given
      await page.locator('.rows .row[data-pipeline="app"] .cell[data-phase="staging"] a').click();
      await reread.waitFor();
      expect(await reread.isDisabled()).toBe(true);
      const promote = page.getByRole('button', { name: 'Promote', exact: true });
      expect(await promote.isDisabled()).toBe(true);
      expect(await page.locator('.phase-panel > .blocked-reason').textContent()).toContain(
        'The server does not answer',
      );
      expect(await page.locator('.phase-panel .notice.error').count()).toBe(0);
      for (const b of await page.locator('.phase-panel button').all()) expect(await b.isDisabled()).toBe(true);
      await shot(page, '09-offline-phase');

      // WHEN it is back on the same address
      server = await serve(dir, { port });
      await banner.waitFor({ state: 'detached', timeout: 20_000 });
      await expect.poll(() => reread.isEnabled(), { timeout: 10_000 }).toBe(true);
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.locator('.rows .row[data-pipeline="app"]').waitFor();
      expect(await page.locator('.notice.error').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('GIVEN a server that requires tokens THEN the sign-in page has its title and passes the accessibility check', async () => {
    await server.stop();
    await gantry(['token', 'create', '--name', 'ui', '--role', 'viewer'], dir);
    server = await serve(dir, { port });
    let context: BrowserContext | undefined;
    try {
      ({ context } = await open(DESKTOP, '/'));
      const page = context.pages()[0] as Page;
      await page.getByLabel('API token').waitFor();
      expect(await page.title()).toBe('Sign in — Gantry');
      await accessible(page, 'sign-in');
    } finally {
      await context?.close();
    }
  });
});
