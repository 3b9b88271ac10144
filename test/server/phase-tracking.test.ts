import { gunzipSync } from 'node:zlib';
import type { ApiPhaseStatus, ApiPipelineList } from '@gantry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from './until.js';
import type { VerifiedSandbox } from './verified-sandbox.js';
import { verifiedSandbox } from './verified-sandbox.js';

describe("each phase's status carries its current version's deployment and verification", () => {
  let v: VerifiedSandbox;
  beforeEach(async () => {
    v = await verifiedSandbox();
  });
  afterEach(() => v.close());

  /** The list as the dashboard reads it: gzipped, from the state cache. */
  const list = async () => {
    const r = await v.s.api('/api/v1/pipelines', { headers: { 'accept-encoding': 'gzip' } });
    expect(r.headers.get('content-encoding')).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await r.arrayBuffer())).toString()) as ApiPipelineList;
    return { etag: r.headers.get('etag'), phases: new Map(body.pipelines[0]?.phases.map((p) => [p.phase, p])) };
  };
  const phaseOf = async (name: string): Promise<ApiPhaseStatus | undefined> => (await list()).phases.get(name);

  it('GIVEN staging promoted and nothing reported THEN pending and pending; WHEN Flux reports it healthy and its check passes THEN healthy and verified in the list, the pipeline and the phase, also after a restart', async () => {
    const staging = await v.promoteStaging();
    // THEN
    const before = await list();
    expect(before.phases.get('staging')).toMatchObject({
      digest: staging.digest,
      promotionId: staging.id,
      deployment: { state: 'pending' },
      verification: { state: 'pending', run: 0 },
    });
    // versions that did not come through a promotion carry neither
    for (const name of ['oci', 'production']) {
      expect(before.phases.get(name)?.promotionId).toBeUndefined();
      expect(before.phases.get(name)?.deployment).toBeUndefined();
      expect(before.phases.get(name)?.verification).toBeUndefined();
    }

    // WHEN
    expect((await v.flux(staging.commit)).status).toBe(202);
    // THEN
    await until(
      async () => ((await phaseOf('staging'))?.verification?.state === 'verified' ? true : undefined),
      'staging verified in the list',
    );
    const after = await list();
    expect(after.etag).not.toBe(before.etag);
    const expected = {
      promotionId: staging.id,
      deployment: { state: 'healthy', deployer: 'flux', commit: staging.commit },
      verification: { state: 'verified', run: 1 },
    };
    expect(after.phases.get('staging')).toMatchObject(expected);
    const one = await v.client().getPipeline('app');
    expect(one.phases.find((p) => p.phase === 'staging')).toMatchObject(expected);
    expect((await v.client().getPhase('app', 'staging')).status).toMatchObject(expected);

    // AND a restarted server finds it in the store
    await v.restart();
    expect(await phaseOf('staging')).toMatchObject(expected);
  });

  it('GIVEN Flux reports the staging version degraded THEN the phase says degraded, with the message, and verification failed', async () => {
    const staging = await v.promoteStaging();
    expect((await v.flux(staging.commit, { ok: false })).status).toBe(202);
    const shown = await until(async () => {
      const s = await phaseOf('staging');
      return s?.deployment?.state === 'degraded' && s.verification?.state === 'failed' ? s : undefined;
    }, 'staging degraded');
    expect(shown.deployment?.message).toBeTruthy();
    expect(shown.verification).toMatchObject({ failed: ['deployer'] });
  });
});
