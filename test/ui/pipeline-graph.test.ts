import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TempDir } from '@gantry/testing';
import { hasTool, tempDir } from '@gantry/testing';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from './serve.js';
import { gantry, serve } from './serve.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const REGIONS = Array.from({ length: 40 }, (_, i) => `region-${String(i).padStart(2, '0')}`);
const PHASES = 3 + REGIONS.length;
const run = promisify(execFile);

/** Commits a deployment file per region to the sandbox's config repository (copies of production's). */
async function regionFiles(dir: string, work: string): Promise<void> {
  await run('git', ['clone', '-q', join(dir, 'config.git'), work]);
  const production = await readFile(join(work, 'env/production/deployment.yaml'), 'utf8');
  for (const r of REGIONS) {
    await mkdir(join(work, 'env', r), { recursive: true });
    await writeFile(join(work, 'env', r, 'deployment.yaml'), production);
  }
  const git = (...args: string[]) => run('git', ['-C', work, ...args]);
  await git('add', 'env');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'regions');
  await git('push', '-q', 'origin', 'HEAD:main');
}

/** `edge`: oci -> staging -> 40 regions -> global, global joining every region. */
function edgeYaml(sandbox: string): string {
  const git = (path: string) =>
    `source: { type: git, repository: config, path: ${path}, updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST } }`;
  const regions = REGIONS.map(
    (r) => `      - name: ${r}
        promotesFrom: staging
        labels: { environment: production }
        ${git(`env/${r}/deployment.yaml`)}
`,
  );
  return `${sandbox.trimEnd()}
  - name: edge
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        ${git('env/staging/deployment.yaml')}
${regions.join('')}      - name: global
        promotesFrom: [${REGIONS.join(', ')}]
        ${git('env/production/deployment.yaml')}
server:
  schedules: []
`;
}

/** A string evaluated in the page: this file is type-checked for Node, which has no `document`. */
const inPage = <T>(page: Page, js: string) => page.evaluate(js) as Promise<T>;
const zoomOf = (page: Page) =>
  inPage<number>(page, 'new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a');

describe.skipIf(!hasTool('chromium'))('a 40-region pipeline graph in a real browser', () => {
  let tmp: TempDir;
  let browser: Browser;
  let server: Served;

  beforeAll(async () => {
    tmp = await tempDir('gantry-ui-graph-');
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const dir = join(tmp.path, 'sandbox');
    await gantry(['sandbox', 'init', '--yaml', dir], tmp.path);
    await regionFiles(dir, join(tmp.path, 'work'));
    const file = join(dir, 'gantry.yaml');
    await writeFile(file, edgeYaml(await readFile(file, 'utf8')));
    server = await serve(dir);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tmp?.remove();
  });

  it('GIVEN 1440x900 THEN every node is drawn apart from the others, its text at 9px or more, edges around the nodes, and the far end reachable by panning', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/pipelines/edge`);
      await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 15_000 }).toBe(PHASES);
      // every edge drawn: each node measured and laid out with its height
      await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1 + 2 * REGIONS.length);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(ARTIFACTS, 'graph-40-regions-desktop.png') });

      const zoom = await zoomOf(page);
      expect(zoom).toBeGreaterThanOrEqual(0.75);
      for (const id of ['oci', 'staging', ...REGIONS, 'global'])
        expect(await page.locator(`.react-flow__node[data-id="${id}"] .node-head strong`).textContent()).toBe(id);

      const report = await inPage<{ overlaps: string[]; smallest: number; crossings: string[]; texts: number }>(
        page,
        `(() => {
          const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;
          const nodes = [...document.querySelectorAll('.react-flow__node')].map((el) => ({ id: el.dataset.id, el, r: el.getBoundingClientRect() }));
          const overlaps = [];
          for (let i = 0; i < nodes.length; i++)
            for (let j = i + 1; j < nodes.length; j++) {
              const a = nodes[i].r, b = nodes[j].r;
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(nodes[i].id + ' ' + nodes[j].id);
            }
          // the size every piece of a node's text is drawn at, on screen
          let smallest = Infinity, texts = 0;
          for (const { el } of nodes) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let t = walker.nextNode(); t; t = walker.nextNode()) {
              if (!t.textContent.trim()) continue;
              texts++;
              smallest = Math.min(smallest, parseFloat(getComputedStyle(t.parentElement).fontSize) * zoom);
            }
          }
          // points along every edge, on screen, none inside a node (1px inside its border)
          const crossings = [];
          for (const path of document.querySelectorAll('.react-flow__edge path.react-flow__edge-path')) {
            const m = path.getScreenCTM();
            const length = path.getTotalLength();
            for (let s = 0; s <= length; s += 3) {
              const p = new DOMPoint(path.getPointAtLength(s).x, path.getPointAtLength(s).y).matrixTransform(m);
              const hit = nodes.find(({ r }) => p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 1 && p.y < r.bottom - 1);
              if (hit) { crossings.push(path.closest('.react-flow__edge').dataset.id + ' through ' + hit.id); break; }
            }
          }
          return { overlaps, smallest, crossings, texts };
        })()`,
      );
      expect(report.overlaps).toEqual([]);
      expect(report.texts).toBeGreaterThan(PHASES * 2);
      expect(report.smallest).toBeGreaterThanOrEqual(9);
      expect(report.crossings).toEqual([]);

      // the graph opens at its sources; its far end is reached by panning (here: focusing it pans there)
      const box = await page.locator('.graph').boundingBox();
      const inBox = async (id: string) => {
        const r = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
        return (
          !!r &&
          !!box &&
          r.x >= box.x &&
          r.x + r.width <= box.x + box.width &&
          r.y >= box.y &&
          r.y + r.height <= box.y + box.height
        );
      };
      expect(await inBox('oci')).toBe(true);
      expect(await inBox('global')).toBe(false);
      // WHEN a person drags the empty space below the sources THEN the graph pans, at the same zoom
      const translate = () =>
        inPage<number>(
          page,
          'new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).e',
        );
      const before = await translate();
      const from = { x: (box?.x ?? 0) + 120, y: (box?.y ?? 0) + (box?.height ?? 0) - 40 };
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + 20, from.y, { steps: 4 });
      await page.mouse.move(from.x + 420, from.y, { steps: 8 });
      await page.mouse.up();
      await expect.poll(translate).toBeGreaterThan(before + 300);
      // WHEN the far end, global, takes keyboard focus THEN the graph pans to show it
      await page.locator('.react-flow__node[data-id="global"]').focus();
      await expect.poll(() => inBox('global')).toBe(true);
      // a person's pan is kept, and the zoom stays readable
      expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.75);
      await page.screenshot({ path: join(ARTIFACTS, 'graph-40-regions-panned.png') });
    } finally {
      await context.close();
    }
  });

  it('GIVEN a 390x844 phone THEN the phases are a list in promotion order, readable, no wider than the screen', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/pipelines/edge`);
      const items = page.locator('ol.phase-list > li');
      // the list is painted once the pipeline has loaded: on a busy machine that takes seconds
      await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(PHASES);
      expect(await page.locator('.react-flow').count()).toBe(0);
      const order = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')));
      expect(order).toEqual(['oci', 'staging', ...REGIONS, 'global']);
      expect(await items.nth(20).locator('.phase-item-from').textContent()).toBe('from staging (in sync)');
      const widths = await inPage<{ scroll: number; smallest: number }>(
        page,
        `(() => {
          let smallest = Infinity;
          for (const el of document.querySelectorAll('ol.phase-list *'))
            if ([...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
              smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
          return { scroll: document.scrollingElement.scrollWidth, smallest };
        })()`,
      );
      expect(widths.scroll).toBeLessThanOrEqual(PHONE.width);
      expect(widths.smallest).toBeGreaterThanOrEqual(11);
      await page.screenshot({ path: join(ARTIFACTS, 'graph-40-regions-phone.png') });
    } finally {
      await context.close();
    }
  });
});
