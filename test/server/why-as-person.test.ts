import { join } from 'node:path';
import type { ApiGateVerdictOf, ApiWhy } from '@gantry/api';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { gateProduction } from '../support/gated-sandbox.js';

/** Production needs two admin approvals; tokens for ann and bob (admins) and pat (promoter). */
async function gated(): Promise<{ s: SandboxServer; tokens: Record<string, string> }> {
  const tmp = await tempDir('gantry-why-person-');
  const dir = join(tmp.path, 'sandbox');
  await initSandbox(dir, { yaml: true });
  await gateProduction(dir);
  const s = await sandboxServer({ tmp });
  const tokens: Record<string, string> = {};
  for (const [name, role] of [
    ['ann', 'admin'],
    ['bob', 'admin'],
    ['pat', 'promoter'],
  ] as const)
    tokens[name] = (await s.server.store.createToken({ name, role })).token;
  return { s, tokens };
}

const approvalOf = (why: ApiWhy) => why.gates?.verdicts[0] as ApiGateVerdictOf<'approval'>;

describe('why, judged as a person releasing by hand', () => {
  it('GIVEN ann approved the version WHEN ann asks why as a person THEN her own approval does not count for her click; as automation, or for bob, it does', async () => {
    const { s, tokens } = await gated();
    try {
      await pushSandboxImage(s.dir);
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        json: {},
        token: tokens.ann as string,
      });
      await s.server.deps.promotions.idle();
      // pat asks for production: it waits for two admins; ann approves
      const asked = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
        method: 'POST',
        json: {},
        token: tokens.pat as string,
      });
      const { promotion } = (await asked.json()) as { promotion: { id: string; state: string } };
      expect(promotion.state).toBe('waiting');
      const approved = await s.api(`/api/v1/promotions/${promotion.id}/approve`, {
        method: 'POST',
        json: { comment: 'dashboards are green' },
        token: tokens.ann as string,
      });
      expect(approved.status).toBe(200);

      const why = async (who: string, query = '') => {
        const r = await s.api(`/api/v1/pipelines/app/phases/production/why${query}`, { token: tokens[who] as string });
        expect(r.status).toBe(200);
        return (await r.json()) as ApiWhy;
      };

      // WHEN ann asks as a person: the click she is about to make would be hers
      const hers = approvalOf(await why('ann', '?as=person'));
      // THEN her approval is set aside, and the evidence lists it with why
      expect(hers).toMatchObject({ kind: 'approval', outcome: 'wait', reason: '0 of 2 approvals' });
      expect(hers.unblock).toBe('two more approvals from role admin (not ann, who requested it)');
      expect(hers.evidence.requester).toBe('ann');
      expect(hers.evidence.approvers).toEqual([]);
      expect(hers.evidence.ignored).toEqual([
        expect.objectContaining({ by: 'ann', role: 'admin', ignored: 'ann requested this promotion' }),
      ]);
      expect(hers.evidence.eligible).toEqual({ minRole: 'admin', tokens: [], text: 'role admin' });

      // as automation would meet it (the default), ann's approval counts
      const auto = approvalOf(await why('ann'));
      expect(auto).toMatchObject({ outcome: 'wait', reason: '1 of 2 approvals: ann (admin)' });
      expect(auto.evidence.approvers).toEqual([
        expect.objectContaining({ by: 'ann', role: 'admin', comment: 'dashboards are green' }),
      ]);
      expect(approvalOf(await why('ann', '?as=automation')).reason).toBe(auto.reason);

      // and for bob's click, ann's approval counts too
      const his = approvalOf(await why('bob', '?as=person'));
      expect(his).toMatchObject({ outcome: 'wait', reason: '1 of 2 approvals: ann (admin)' });
      expect(his.evidence.requester).toBe('bob');

      // an unknown asker is refused, naming the field
      const bad = await s.api('/api/v1/pipelines/app/phases/production/why?as=robot', { token: tokens.ann as string });
      expect(bad.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});
