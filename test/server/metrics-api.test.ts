import { join } from 'node:path';
import type { ApiDeliveryMetrics, ApiProblem } from '@gantry/api';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { openStore } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, seedDeliveryHistory } from '../store/metrics-history.js';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

/**
 * GET /api/v1/metrics through the real app over the sandbox's store: the seeded week of
 * test/store/metrics-history.ts recorded as the sandbox's pipeline `app` (its staging and
 * production), and the Prometheus gauges after a real promotion.
 */
describe('delivery metrics API', () => {
  let s: SandboxServer;
  const week = 'from=2025-03-01&to=2025-03-08';

  beforeAll(async () => {
    // the history is recorded before the server starts (its worker would claim what is queued)
    const tmp = await tempDir('gantry-metrics-api-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const seeded = await seedDeliveryHistory(
      (now) => openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db'), now }),
      { shop: 'app' },
    );
    await seeded.close();
    s = await sandboxServer({ tmp });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const get = async (query: string) => {
    const res = await s.api(`/api/v1/metrics?${query}`);
    return { status: res.status, body: (await res.json()) as ApiDeliveryMetrics & ApiProblem };
  };

  it('GIVEN the seeded week WHEN one pipeline is asked for THEN the hand-worked figures per phase, each with its series', async () => {
    const { status, body } = await get(`${week}&pipeline=app`);
    expect(status).toBe(200);
    expect(body.period).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-08T00:00:00.000Z',
      days: 7,
      bucket: 'day',
    });
    const [production, staging] = body.phases;
    // as in test/store/metrics.test.ts: staging 5 deployments, 2 failed, lead median 3.5 h, restore median 7.5 h
    expect(staging).toMatchObject({
      pipeline: 'app',
      phase: 'staging',
      deploymentFrequency: { count: 5 },
      changeFailureRate: { failures: 2, rate: 0.4 },
      leadTime: { medianSeconds: 3.5 * HOUR, p90Seconds: 66 * HOUR },
      timeToRestore: { medianSeconds: 7.5 * HOUR, open: 0 },
    });
    expect(staging?.series).toHaveLength(7);
    expect(production).toMatchObject({ phase: 'production', changeFailureRate: { failures: 1, deployments: 2 } });
    // total of app: 5 + 2 = 7 deployments, 3 failed
    expect(body.total.deploymentFrequency.count).toBe(7);
    expect(body.total.changeFailureRate.failures).toBe(3);
  });

  it('GIVEN a week by weeks WHEN asked with bucket=week THEN one bucket; a phase across pipelines narrows to it', async () => {
    const { body } = await get(`${week}&phase=production&bucket=week`);
    expect(body.total.series).toEqual([
      {
        start: '2025-03-01T00:00:00.000Z',
        deployments: 2,
        failures: 1,
        leadTimeMedianSeconds: 23 * HOUR,
        timeToRestoreMedianSeconds: 120 * HOUR,
      },
    ]);
    expect(body.phases.map((p) => `${p.pipeline}/${p.phase}`)).toEqual(['app/production']);
  });

  it('GIVEN a period without deployments WHEN asked THEN zeros with the period, not an error', async () => {
    const { status, body } = await get('from=2020-01-01&to=2020-02-01&pipeline=app');
    expect(status).toBe(200);
    expect(body.period).toMatchObject({ from: '2020-01-01T00:00:00.000Z', days: 31, bucket: 'day' });
    expect(body.phases).toEqual([]);
    expect(body.total).toMatchObject({
      deploymentFrequency: { count: 0, perDay: 0 },
      changeFailureRate: { rate: 0 },
      leadTime: { medianSeconds: null },
    });
  });

  it('GIVEN bad input WHEN asked THEN 400 naming the field, 404 naming the known pipelines', async () => {
    const badFrom = await get('from=last-tuesday');
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.code).toBe('invalid_request');
    expect(badFrom.body.detail).toContain('[from]');
    const backwards = await get('from=2025-03-08&to=2025-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.detail).toContain('[to]');
    const both = await get('from=2025-03-01&since=30d');
    expect(both.body.detail).toContain('[since]');
    const unknown = await get('pipeline=nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('known: app');
  });

  it('GIVEN a real promotion WHEN it succeeds THEN the Prometheus gauges of its phase show it, over the last 30 days', async () => {
    await pushSandboxImage(s.dir);
    const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: {},
      headers: { 'x-gantry-request': '1' },
    });
    expect(res.status).toBe(202);
    await s.server.deps.promotions.idle();
    // the gauges compute a phase a moment after its promotion settles, not on the scrape
    const text = await until(async () => {
      const t = await (await s.api('/metrics')).text();
      return t.includes('gantry_deployments{pipeline="app",phase="staging"} 1') ? t : undefined;
    }, 'the staging gauges');
    expect(text).toContain('gantry_deployment_frequency{pipeline="app",phase="staging"} 0.0333');
    expect(text).toContain('gantry_change_failure_rate{pipeline="app",phase="staging"} 0');
    expect(text).toContain('gantry_delivery_metrics_window_seconds 2592000');
    // the default period is the last 30 days: the 2025 week is outside it
    const recent = await get('pipeline=app&phase=staging');
    expect(recent.body.total.deploymentFrequency.count).toBe(1);
  });
});
