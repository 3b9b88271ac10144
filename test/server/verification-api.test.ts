import { ApiProblemError } from '@gantry/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from './until.js';
import type { VerifiedSandbox } from './verified-sandbox.js';
import { verifiedSandbox } from './verified-sandbox.js';

/** What a client call failed with, as problem+json. */
const problemOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => {
      if (!(e instanceof ApiProblemError)) throw e;
      return e.problem;
    },
  );

describe('check results and re-verification, through the API and the typed client', () => {
  let v: VerifiedSandbox;
  beforeEach(async () => {
    v = await verifiedSandbox();
  });
  afterEach(() => v.close());

  const verificationOf = async (id: string) => (await v.client().getPromotion(id)).verification;

  it('GIVEN staging verified by Flux and its check WHEN its checks are read THEN the result with status, reason, output, evidence and times; WHEN the service breaks and verification is re-run THEN 202 with run 2 running, and both runs are listed', async () => {
    const staging = await v.promoteStaging();
    expect((await v.flux(staging.commit)).status).toBe(202);
    await until(
      async () => ((await verificationOf(staging.id))?.state === 'verified' ? true : undefined),
      'staging verified',
    );

    // WHEN
    const first = await v.client().checkResults(staging.id);
    // THEN
    expect(first.promotionId).toBe(staging.id);
    expect(first.items).toHaveLength(1);
    const [passed] = first.items;
    expect(passed).toMatchObject({
      run: 1,
      name: 'health',
      result: {
        kind: 'http',
        name: 'health',
        status: 'passed',
        output: expect.stringMatching(/response body[^\n]*\nok\n$/),
        evidence: { url: v.health.url, method: 'GET', statusCode: 200 },
      },
    });
    expect(passed?.result.reason).toContain('200');
    expect(Date.parse(passed?.result.finishedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(passed?.result.startedAt ?? ''),
    );

    // WHEN the service breaks and verification is re-run
    v.health.status.code = 503;
    const rerun = await v.s.api(`/api/v1/promotions/${staging.id}/verify`, {
      method: 'POST',
      headers: { 'x-gantry-request': '1' },
    });
    // THEN it answers at once with the new run started
    expect(rerun.status).toBe(202);
    expect(await rerun.json()).toMatchObject({ id: staging.id, verification: { state: 'running', run: 2 } });
    const failed = await until(async () => {
      const ver = await verificationOf(staging.id);
      return ver?.state === 'failed' ? ver : undefined;
    }, 'the second run failed');
    expect(failed).toMatchObject({ run: 2, failed: ['health'] });
    const both = await v.client().checkResults(staging.id);
    const lastLine = (output: string) => output.trim().split('\n').at(-1);
    expect(both.items.map((r) => [r.run, r.result.status, lastLine(r.result.output)])).toEqual([
      [1, 'passed', 'ok'],
      [2, 'failed', 'broken'],
    ]);
    const audit = await v.s.server.store.listAudit({ limit: 5 });
    expect(audit.items.map((a) => [a.action, a.subject])).toContainEqual(['verify', 'app/staging']);

    // AND through the client, once the service is back
    v.health.status.code = 200;
    expect((await v.client().reverify(staging.id)).verification).toMatchObject({ state: 'running', run: 3 });
    await until(
      async () => ((await verificationOf(staging.id))?.state === 'verified' ? true : undefined),
      'the third run verified',
    );
  });

  it('GIVEN promotions that cannot be verified now WHEN re-verification is asked THEN 409 not_verifiable saying why; an unknown id is 404, a malformed one 400 naming it', async () => {
    const staging = await v.promoteStaging();
    // the deployer has not reported yet: verification starts when it reports healthy
    const early = await problemOf(v.client().reverify(staging.id));
    expect(early).toMatchObject({ status: 409, code: 'not_verifiable' });
    expect(early.detail).toContain('not reported');
    expect(await verificationOf(staging.id)).toBeUndefined();

    // a phase nothing proves
    const production = await v.client().promote('app', 'production');
    if (production.kind !== 'queued') throw new Error('production did not promote');
    await v.s.server.deps.promotions.idle();
    const unproven = await problemOf(v.client().reverify(production.promotion.id));
    expect(unproven).toMatchObject({ status: 409, code: 'not_verifiable' });
    expect(unproven.detail).toContain('app/production has no verification');

    // a promotion that failed: the phase's source is read-only
    const refused = await v.s.server.store.createPromotion({
      pipeline: 'app',
      phase: 'oci',
      toDigest: staging.digest,
      toVersion: 'app@x',
      target: { kind: 'oci-image' },
      trigger: { kind: 'person', actor: 'test' },
      reason: 'test',
    });
    v.s.server.deps.promotions.kick();
    await until(
      async () => ((await v.client().getPromotion(refused.id)).state === 'failed' ? true : undefined),
      'the promotion into oci failed',
    );
    const notSucceeded = await problemOf(v.client().reverify(refused.id));
    expect(notSucceeded).toMatchObject({ status: 409, code: 'not_verifiable' });
    expect(notSucceeded.detail).toContain('is failed');

    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await problemOf(v.client().reverify(unknown))).toMatchObject({ status: 404, code: 'unknown_promotion' });
    expect(await problemOf(v.client().checkResults(unknown))).toMatchObject({ status: 404, code: 'unknown_promotion' });
    const malformed = await problemOf(v.client().checkResults('not-an-id'));
    expect(malformed).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(malformed.detail).toContain('[id]');
  });
});

describe('who may re-run verification', () => {
  let v: VerifiedSandbox;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    v = await verifiedSandbox({ serverYaml: '  permissions:\n    - { phase: staging, role: admin }\n' });
    for (const role of ['viewer', 'admin'] as const)
      tokens[role] = (await v.s.server.store.createToken({ name: `${role}-bot`, role })).token;
    await v.restart();
  });
  afterEach(() => v.close());

  it('GIVEN staging needs admin to promote WHEN a viewer re-runs its verification THEN 403 naming the role; an admin may', async () => {
    const staging = await v.promoteStaging(tokens.admin);
    expect((await v.flux(staging.commit)).status).toBe(202);
    await until(
      async () =>
        (await v.client(tokens.admin).getPromotion(staging.id)).verification?.state === 'verified' ? true : undefined,
      'staging verified',
    );
    // WHEN
    const denied = await problemOf(v.client(tokens.viewer).reverify(staging.id));
    // THEN
    expect(denied).toMatchObject({ status: 403, code: 'forbidden' });
    expect(denied.detail).toContain('needs role admin');
    // the viewer may read the results
    expect((await v.client(tokens.viewer).checkResults(staging.id)).items).toHaveLength(1);
    expect((await v.client(tokens.admin).reverify(staging.id)).verification?.run).toBe(2);
    await v.s.server.deps.promotions.idle();
  });
});
