import { generateKeyPairSync } from 'node:crypto';
import type { OciImage } from '@gantry/core';
import { createEngine, createServices, createSystem, definePipeline, ociImage, silentLogger } from '@gantry/core';
import type { GateFacts } from '@gantry/gates';
import { decideGates, evaluateGates, parseGates, summarize } from '@gantry/gates';
import { img, memoryFile, memoryRegistry } from '../packages/core/src/test-sources.test-support.js';
import { fmt, median, row } from './sh.js';

const KEY = String(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
);

/** Six gates, one of each kind, as a phase would carry them. */
const SIX = parseGates([
  { kind: 'soak', duration: '2h' },
  { kind: 'approval', count: 2, roles: ['admin'] },
  { kind: 'window', timeZone: 'Europe/Paris', allow: [{ days: 'mon-fri', from: '09:00', to: '17:00' }] },
  { kind: 'commit', ticket: '[A-Z]+-\\d+', skipMarkers: '[skip deploy]' },
  { kind: 'branch', branches: ['main', 'release/*'] },
  { kind: 'signature', keys: [{ id: 'release', publicKey: KEY }] },
]);

const facts = (digest: string): GateFacts => ({
  now: new Date('2026-01-07T10:00:00Z'),
  request: { trigger: 'policy', requester: 'policy' },
  version: {
    digest,
    version: '1.0.0',
    source: {
      sha: 'a'.repeat(40),
      message: 'Ship it\n\nRefs SHOP-42',
      branch: 'main',
      committer: { email: 'dev@example.com' },
    },
  },
  upstreams: [{ phase: 'staging', state: 'verified', verifiedAt: '2026-01-07T06:00:00Z', digest }],
  approvals: [
    { by: 'ann', role: 'admin', at: '2026-01-07T09:00:00Z', decision: 'approve', digest },
    { by: 'bob', role: 'admin', at: '2026-01-07T09:05:00Z', decision: 'approve', digest },
  ],
  signatures: [{ verified: true, reason: 'verified', keyId: 'release', digest }],
});

/**
 * Planning 1,000 phases (memory sources, no network) with and without six gates each: the
 * gates' share of planning. Also one phase's six verdicts alone (what `gantry why` adds).
 */
export async function gatesBench(runs: number): Promise<void> {
  console.log(`\ngates: planning 1,000 phases with six gates each, beside the same without gates, median of ${runs}`);
  const pipelines = Array.from({ length: 1000 }, (_, i) =>
    definePipeline<OciImage>({
      name: `svc-${i}`,
      resource: ociImage,
      phases: [
        { name: 'oci', source: memoryRegistry(img(`${(i % 9) + 1}`.repeat(2))) },
        {
          name: 'production',
          promotesFrom: ['oci'],
          source: memoryFile('d.yaml', `image: reg/app@sha256:${'0'.repeat(64)}\n`),
        },
      ],
    }),
  );
  const engine = createEngine({
    system: createSystem({ pipelines }),
    context: { services: createServices(), logger: silentLogger },
  });
  const plainRuns: number[] = [];
  const gatedRuns: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    let t = performance.now();
    for (const p of pipelines) await engine.plan(p.name, 'production');
    const plain = performance.now() - t;
    t = performance.now();
    for (const p of pipelines) {
      const pl = await engine.plan(p.name, 'production');
      // bulk planning (a reconcile over the fleet) needs outcomes, not evidence
      if (pl.kind === 'promote') summarize(decideGates(SIX, facts(pl.target.digest)));
    }
    const gated = performance.now() - t;
    if (r > 0) {
      // the first round warms the JIT
      plainRuns.push(plain);
      gatedRuns.push(gated);
    }
  }
  const one: number[] = [];
  for (let r = 0; r < 200; r++) {
    const t = performance.now();
    evaluateGates(SIX, facts(`sha256:${'c'.repeat(64)}`));
    one.push(performance.now() - t);
  }
  const p = median(plainRuns);
  const g = median(gatedRuns);
  row('plan 1,000 phases, no gates', fmt(p), 'baseline');
  row('plan 1,000 phases + six gates each', fmt(g), `+${(((g - p) / p) * 100).toFixed(0)}% (target < 20%)`);
  row(
    "one phase's six verdicts (what why adds)",
    `${(median(one) * 1000).toFixed(1)} µs`,
    'pure evaluation with evidence',
  );
}
