import { describe, expect, it } from 'vitest';
import { definePipeline } from './pipeline.js';
import { planPromotion, renderTemplate } from './plan.js';
import { ociImage } from './resource.js';
import { createServices, silentLogger } from './services.js';
import { img, memoryFile, memoryRegistry } from './test-sources.test-support.js';

const ctx = { services: createServices(), logger: silentLogger };

const file = (hex: string) => `# staging\nkind: Deployment\nimage: reg/app@${img(hex).digest}\nreplicas: 1\n`;

function setup() {
  const staging = memoryFile('env/staging.yaml', file('a'));
  const p = definePipeline({
    name: 'app',
    resource: ociImage,
    phases: [
      { name: 'oci', source: memoryRegistry() },
      { name: 'staging', promotesFrom: ['oci'], source: staging },
    ],
  });
  const phase = p.phases[1];
  if (!phase) throw new Error('fixture');
  return { p, phase, staging };
}

describe('planPromotion', () => {
  it('GIVEN upstream and current hold the same digest WHEN planned THEN in-sync, no edits', async () => {
    const { p, phase, staging } = setup();
    const current = await staging.read(ctx);
    const plan = planPromotion({
      pipeline: p,
      phase,
      current,
      upstreams: [{ phase: 'oci', observation: { resource: img('a') } }],
    });
    expect(plan.kind).toBe('in-sync');
  });

  it('GIVEN a newer upstream WHEN planned THEN the diff changes only the image line and trailers are set', async () => {
    const { p, phase, staging } = setup();
    const current = await staging.read(ctx);
    const plan = planPromotion({
      pipeline: p,
      phase,
      current,
      upstreams: [{ phase: 'oci', observation: { resource: img('b') } }],
    });
    if (plan.kind !== 'promote') throw new Error(`expected promote, got ${plan.kind}`);
    expect(plan.from).toBe('oci');
    expect(plan.target.digest).toBe(img('b').digest);
    expect(plan.current?.digest).toBe(img('a').digest);
    const changed = plan.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(changed).toEqual([`-image: reg/app@${img('a').digest}`, `+image: reg/app@${img('b').digest}`]);
    expect(plan.diff).toContain('--- a/env/staging.yaml');
    expect(plan.trailers).toEqual({
      'Gantry-Pipeline': 'app',
      'Gantry-Phase': 'staging',
      'Gantry-Digest': img('b').digest,
    });
    expect(plan.message).toBe(`promote app/staging to app@${img('b').digest.slice(7, 19)}`);
  });

  it('GIVEN an upstream with no version WHEN planned THEN blocked with the reason', async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase,
      current: await staging.read(ctx),
      upstreams: [{ phase: 'oci', observation: { resource: undefined } }],
    });
    expect(plan).toMatchObject({ kind: 'blocked', reason: 'upstream phase "oci" holds no version yet' });
  });

  it('GIVEN a fan-in whose upstreams disagree WHEN planned THEN blocked, naming both versions', async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase,
      current: await staging.read(ctx),
      upstreams: [
        { phase: 'eu', observation: { resource: img('b') } },
        { phase: 'us', observation: { resource: img('c') } },
      ],
    });
    expect(plan.kind).toBe('blocked');
    if (plan.kind === 'blocked') expect(plan.reason).toMatch(/upstream phases disagree: eu=.*bbbb.*, us=.*cccc/);
  });

  it('GIVEN an explicit target (rollback) WHEN planned THEN it wins over the upstream', async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase,
      current: await staging.read(ctx),
      upstreams: [],
      target: { resource: img('9'), reason: 'rollback' },
    });
    expect(plan).toMatchObject({ kind: 'promote', reason: 'rollback', target: { digest: img('9').digest } });
    if (plan.kind === 'promote') expect(plan.from).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  it('GIVEN known and unknown placeholders THEN only known ones are replaced', () => {
    expect(renderTemplate('deploy {{version}} to {{ phase }} {{nope}}', { version: 'v1', phase: 'prod' })).toBe(
      'deploy v1 to prod {{nope}}',
    );
  });
});
