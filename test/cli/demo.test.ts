import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { gantryFromSources } from './run-cli.js';

// from the TypeScript sources, as `npm start` runs it: the one test of that way in (tsx, the source condition)
describe('gantry demo (what npm start runs, without --serve)', () => {
  it('GIVEN no sandbox WHEN the demo runs THEN staging and production each go pushed -> applied/healthy -> verified, reported by the sandbox playing Flux and Argo CD', async () => {
    const root = await tempDir('gantry-demo-');
    try {
      const r = await gantryFromSources(['demo', '--dir', join(root.path, 'sb'), '--port', '0'], root.path);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const out = r.stdout;
      const staging = out.slice(
        out.indexOf('== gantry track app staging'),
        out.indexOf('== gantry promote app production'),
      );
      const order = [
        'succeeded',
        '\\$ gantry sandbox deploy \\. staging',
        'applied',
        'healthy',
        'verifying',
        'verified',
      ];
      const at = order.map((w) => staging.search(new RegExp(`^(\\d\\d:\\d\\d:\\d\\d\\s+)?${w}`, 'm')));
      expect(
        at.every((x, i) => x >= 0 && (i === 0 || x > (at[i - 1] ?? -1))),
        staging,
      ).toBe(true);
      expect(staging).toContain('flux-kustomization flux-system/app-staging reports app/staging');
      expect(out).toContain('argocd-application argocd/app-production reports app/production');
      expect(out).toMatch(/^verified: app\/staging /m);
      expect(out).toMatch(/^verified: app\/production /m);
    } finally {
      await root.remove();
    }
  });
});
