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
      'Gantry-Reason': `oci is at app@${img('b').digest.slice(7, 19)}`,
    });
    expect(plan.message).toBe(`promote app/staging to app@${img('b').digest.slice(7, 19)}`);
  });

  it('GIVEN a person and a note over several lines WHEN planned THEN the trailers name them on one line each', async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase,
      current: await staging.read(ctx),
      upstreams: [{ phase: 'oci', observation: { resource: img('b') } }],
      actor: 'alice\nExample',
      reason: 'hotfix for\r\nOPS-12\n',
    });
    if (plan.kind !== 'promote') throw new Error(`expected promote, got ${plan.kind}`);
    expect(plan.trailers).toMatchObject({ 'Gantry-Actor': 'alice Example', 'Gantry-Reason': 'hotfix for OPS-12' });
    expect(plan.trailers).not.toHaveProperty('Gantry-Reverts');
  });

  it('GIVEN a rollback WHEN planned THEN its message says so, whatever the template, and it names the promotion it reverts', async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase: { ...phase, message: 'release {{version}}' },
      current: await staging.read(ctx),
      upstreams: [],
      target: { resource: img('c') },
      rollbackOf: '0b7e3f52-2f5c-4c5e-9d8e-4f1f0c3a9b11',
    });
    if (plan.kind !== 'promote') throw new Error(`expected promote, got ${plan.kind}`);
    expect(plan.message).toBe(`rollback app staging to app@${img('c').digest.slice(7, 19)}`);
    expect(plan.trailers['Gantry-Reverts']).toBe('0b7e3f52-2f5c-4c5e-9d8e-4f1f0c3a9b11');
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
      target: { resource: img('9') },
      reason: 'rollback',
    });
    expect(plan).toMatchObject({ kind: 'promote', reason: 'rollback', target: { digest: img('9').digest } });
    if (plan.kind === 'promote') expect(plan.from).toBeUndefined();
  });

  it("GIVEN a person's reason for an ordinary promotion WHEN planned THEN it is the plan's reason, on one line", async () => {
    const { p, phase, staging } = setup();
    const plan = planPromotion({
      pipeline: p,
      phase,
      current: await staging.read(ctx),
      upstreams: [{ phase: 'oci', observation: { resource: img('b') } }],
      reason: 'hotfix for INC-42\nverified on staging\u0000',
    });
    if (plan.kind !== 'promote') throw new Error(`expected promote, got ${plan.kind}`);
    expect(plan.from).toBe('oci');
    expect(plan.reason).toBe('hotfix for INC-42 verified on staging');
  });

  it('GIVEN no reason WHEN planned THEN the reason says where the version comes from', async () => {
    const { p, phase, staging } = setup();
    const current = await staging.read(ctx);
    const upstream = planPromotion({
      pipeline: p,
      phase,
      current,
      upstreams: [{ phase: 'oci', observation: { resource: img('b') } }],
      reason: '  ',
    });
    expect(upstream).toMatchObject({ kind: 'promote', reason: `oci is at app@${img('b').digest.slice(7, 19)}` });
    const explicit = planPromotion({ pipeline: p, phase, current, upstreams: [], target: { resource: img('9') } });
    expect(explicit).toMatchObject({ kind: 'promote', reason: 'explicit version' });
  });

  it('GIVEN a file its updater cannot rewrite WHEN planned THEN updater_failed naming the source, not a bug', async () => {
    const { p, phase, staging } = setup();
    const current = await staging.read(ctx);
    const broken = {
      ...phase,
      source: {
        ...staging,
        edit: () => {
          throw new Error('unexpected token in YAML');
        },
      },
    };
    const e = (() => {
      try {
        planPromotion({
          pipeline: p,
          phase: broken,
          current,
          upstreams: [{ phase: 'oci', observation: { resource: img('b') } }],
        });
      } catch (err) {
        return err as { code?: string; message: string };
      }
      throw new Error('expected planning to fail');
    })();
    expect(e.code).toBe('updater_failed');
    expect(e.message).toContain('memory env/staging.yaml: cannot write');
    expect(e.message).toContain('unexpected token in YAML');
  });
});

describe('renderTemplate', () => {
  it('GIVEN known and unknown placeholders THEN only known ones are replaced', () => {
    expect(renderTemplate('deploy {{version}} to {{ phase }} {{nope}}', { version: 'v1', phase: 'prod' })).toBe(
      'deploy v1 to prod {{nope}}',
    );
  });
});
