import { pushSandboxImage } from '@gantry/cli';
import { runGit } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { sandboxServer } from './sandbox-server.js';

interface Queued {
  readonly kind: string;
  readonly promotion: { readonly id: string };
}

describe('one promotion per version and phase', () => {
  it('GIVEN a new image WHEN two requests for the same phase arrive at once THEN they share one promotion, which lands one commit and one history row', async () => {
    const s = await sandboxServer({ serverYaml: 'server:\n  schedules: []\n' });
    try {
      // GIVEN
      await pushSandboxImage(s.dir);
      // WHEN a webhook's auto-promotion and a person (say) ask at the same moment
      const [a, b] = await Promise.all(
        [1, 2].map(async () => {
          const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
          expect(res.status).toBe(202);
          return (await res.json()) as Queued;
        }),
      );
      // THEN both answers name the same promotion
      expect(a?.promotion.id).toBe(b?.promotion.id);
      await s.server.deps.promotions.idle();
      // AND history holds exactly one row for it, succeeded with its commit, which is on the remote
      const history = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
        items: Array<{ id: string; state: string; commitSha?: string }>;
      };
      expect(history.items.map((h) => h.state)).toEqual(['succeeded']);
      const sha = history.items[0]?.commitSha ?? '';
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect((await runGit(['rev-parse', 'main'], s.bare)).trim()).toBe(sha);
      // AND a request after it landed is in sync, recording nothing
      const again = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      expect(((await again.json()) as { kind: string }).kind).toBe('in-sync');
    } finally {
      await s.close();
    }
  });
});
