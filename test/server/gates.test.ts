import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { Promotion } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { gateProduction } from '../support/gated-sandbox.js';

/** A sandbox whose production needs two approvals from admins, with tokens for three people. */
async function gatedSandbox(): Promise<{ s: SandboxServer; tokens: Record<string, string> }> {
  const tmp = await tempDir('gantry-gates-');
  const dir = join(tmp.path, 'sandbox');
  await initSandbox(dir, { yaml: true });
  await gateProduction(dir);
  const s = await sandboxServer({ tmp });
  const tokens: Record<string, string> = {};
  for (const [name, role] of [
    ['ann', 'admin'],
    ['bob', 'admin'],
    ['pat', 'promoter'],
  ] as const) {
    tokens[name] = (await s.server.store.createToken({ name, role })).token;
  }
  return { s, tokens };
}

describe('gates before a promotion: approvals and gantry why', () => {
  it('GIVEN production needs two admin approvals WHEN requested THEN it waits; the requester cannot approve alone; two admins release it; why explains each step', async () => {
    const { s, tokens } = await gatedSandbox();
    try {
      await pushSandboxImage(s.dir);
      const staged = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        json: {},
        token: tokens.ann as string,
      });
      expect(staged.status).toBe(202);
      await s.server.deps.promotions.idle();

      // WHEN ann (an admin) asks for production
      const asked = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
        method: 'POST',
        json: {},
        token: tokens.ann as string,
      });
      expect(asked.status).toBe(202);
      const { promotion } = (await asked.json()) as { promotion: Promotion };
      // THEN it waits for its approvals, nothing is written
      expect(promotion.state).toBe('waiting');
      const why = (await (
        await s.api('/api/v1/pipelines/app/phases/production/why', { token: tokens.pat as string })
      ).json()) as {
        gates: { summary: { outcome: string }; verdicts: Array<{ gate: string; outcome: string; unblock?: string }> };
        unfinished: Promotion[];
      };
      expect(why.gates.summary.outcome).toBe('wait');
      expect(why.gates.verdicts[0]).toMatchObject({ gate: 'two-admins', outcome: 'wait' });
      expect(why.gates.verdicts[0]?.unblock).toMatch(/approv/i);
      expect(why.unfinished.map((p) => p.id)).toEqual([promotion.id]);

      const decide = (who: string, decision: 'approve' | 'reject', comment?: string) =>
        s.api(`/api/v1/promotions/${promotion.id}/${decision}`, {
          method: 'POST',
          json: comment ? { comment } : {},
          token: tokens[who] as string,
        });
      // the requester's own approval does not count; a promoter's does not either
      expect(((await (await decide('ann', 'approve')).json()) as Promotion).state).toBe('waiting');
      expect(((await (await decide('pat', 'approve')).json()) as Promotion).state).toBe('waiting');
      // a rejection needs a reason
      const bare = await decide('bob', 'reject');
      expect(bare.status).toBe(400);
      expect(await bare.json()).toMatchObject({ code: 'invalid_request' });

      // WHEN a second admin approves
      const approved = (await (await decide('bob', 'approve')).json()) as Promotion;
      // THEN it still waits: ann asked, so her approval is not one of the two
      expect(approved.state).toBe('waiting');
      expect(approved.gates?.[0]).toMatchObject({ outcome: 'wait' });

      // a third token holder, an admin, approves: two admins besides the requester
      const carl = (await s.server.store.createToken({ name: 'carl', role: 'admin' })).token;
      const released = await s.api(`/api/v1/promotions/${promotion.id}/approve`, {
        method: 'POST',
        json: {},
        token: carl,
      });
      expect(((await released.json()) as Promotion).state).toMatch(/queued|running|committed|pushed|succeeded/);
      await s.server.deps.promotions.idle();
      const done = (await (await s.api(`/api/v1/promotions/${promotion.id}`, { token: carl })).json()) as Promotion;
      expect(done.state).toBe('succeeded');

      // AND deciding on it again is refused: it waits for nothing now
      const late = await s.api(`/api/v1/promotions/${promotion.id}/approve`, { method: 'POST', json: {}, token: carl });
      expect(late.status).toBe(409);
      expect(await late.json()).toMatchObject({ code: 'promotion_not_waiting' });
    } finally {
      await s.close();
    }
  });

  it('GIVEN a waiting promotion WHEN an approver rejects it THEN it fails with the rejection, and the version is blocked', async () => {
    const { s, tokens } = await gatedSandbox();
    try {
      await pushSandboxImage(s.dir);
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        json: {},
        token: tokens.ann as string,
      });
      await s.server.deps.promotions.idle();
      const asked = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
        method: 'POST',
        json: {},
        token: tokens.pat as string,
      });
      const { promotion } = (await asked.json()) as { promotion: Promotion };
      const rejected = await s.api(`/api/v1/promotions/${promotion.id}/reject`, {
        method: 'POST',
        json: { comment: 'breaks checkout' },
        token: tokens.bob as string,
      });
      expect(rejected.status).toBe(200);
      const p = (await rejected.json()) as Promotion;
      expect(p.state).toBe('failed');
      expect(p.error?.message).toMatch(/two-admins/);
      // asking again for the same version is refused with the gate's reason
      const again = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
        method: 'POST',
        json: {},
        token: tokens.pat as string,
      });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { detail: string }).detail).toMatch(/two-admins/);
    } finally {
      await s.close();
    }
  });
  it('GIVEN an automatic promotion waiting for approvals WHEN its phase is paused and the approvals come THEN it keeps waiting until the pause ends', async () => {
    const { s, tokens } = await gatedSandbox();
    try {
      const { promotions } = s.server.deps;
      await pushSandboxImage(s.dir);
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        json: {},
        token: tokens.ann as string,
      });
      await promotions.idle();
      // GIVEN a policy's request for production, waiting for two admins
      const asked = await promotions.request({
        pipeline: 'app',
        phase: 'production',
        trigger: { kind: 'policy', policy: 'auto-promotion' },
      });
      if (asked.kind !== 'queued') throw new Error(`expected a waiting promotion, got ${asked.kind}`);
      expect(asked.promotion.state).toBe('waiting');
      // WHEN the pipeline is paused, then two admins approve
      await s.server.store.setHold({ pipeline: 'app', kind: 'pause', actor: 'carol', reason: 'incident 7' });
      for (const who of ['ann', 'bob']) {
        const r = await s.api(`/api/v1/promotions/${asked.promotion.id}/approve`, {
          method: 'POST',
          json: {},
          token: tokens[who] as string,
        });
        expect(r.status).toBe(200);
      }
      // THEN its gates pass, but it waits out the pause
      const held = (await s.server.store.getPromotion(asked.promotion.id)) as Promotion;
      expect(held.state).toBe('waiting');
      expect(held.gates?.[0]).toMatchObject({ outcome: 'pass' });
      // WHEN the pause ends
      await s.server.store.releaseHold({ pipeline: 'app', kind: 'pause', by: 'carol' });
      await promotions.reconsider();
      await promotions.idle();
      // THEN it goes
      expect((await s.server.store.getPromotion(asked.promotion.id))?.state).toBe('succeeded');
    } finally {
      await s.close();
    }
  });
});
