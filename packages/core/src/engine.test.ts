import { describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { SourceError } from './errors.js';
import { definePipeline } from './pipeline.js';
import { ociImage } from './resource.js';
import { createServices, silentLogger } from './services.js';
import { createSystem } from './system.js';
import { img, memoryFile, memoryRegistry } from './test-sources.test-support.js';

function world() {
  const registry = memoryRegistry(img('b'));
  const staging = memoryFile('env/staging.yaml', `image: reg/app@${img('a').digest}\n`);
  const production = memoryFile('env/production.yaml', `image: reg/app@${img('a').digest}\n`);
  const otherRegistry = memoryRegistry(img('c'));
  const system = createSystem({
    pipelines: [
      definePipeline({
        name: 'app',
        resource: ociImage,
        phases: [
          { name: 'oci', source: registry },
          { name: 'staging', promotesFrom: ['oci'], source: staging },
          { name: 'production', promotesFrom: ['staging'], source: production },
        ],
      }),
      definePipeline({ name: 'other', resource: ociImage, phases: [{ name: 'oci', source: otherRegistry }] }),
    ],
  });
  const engine = createEngine({ system, context: { services: createServices(), logger: silentLogger } });
  return { engine, registry, staging, production, otherRegistry };
}

describe('engine', () => {
  it('GIVEN a new upstream version WHEN status THEN staging is behind and production in sync', async () => {
    const { engine } = world();
    const [app] = await engine.status('app');
    expect(app?.phases.map((p) => [p.phase, p.state])).toEqual([
      ['oci', 'source'],
      ['staging', 'behind'],
      ['production', 'in-sync'],
    ]);
  });

  it('GIVEN staging behind WHEN promoted THEN it is written once and a second promotion is a no-op', async () => {
    const { engine, staging } = world();
    const progress: string[] = [];
    const out = await engine.promote('app', 'staging', { onProgress: (e) => progress.push(e.type) });
    expect(out.kind).toBe('promoted');
    expect(staging.content).toContain(img('b').digest);
    expect(progress).toEqual(['reading', 'planned', 'writing', 'written']);
    const again = await engine.promote('app', 'staging');
    expect(again.kind).toBe('in-sync');
    expect(staging.writes).toBe(1);
  });

  it('GIVEN --dry-run WHEN promoted THEN the plan is returned and nothing is written', async () => {
    const { engine, staging } = world();
    const out = await engine.promote('app', 'staging', { dryRun: true });
    expect(out.kind).toBe('dry-run');
    expect(out.plan.kind === 'promote' && out.plan.diff).toContain(`+image: reg/app@${img('b').digest}`);
    expect(staging.writes).toBe(0);
  });

  it('GIVEN production WHEN promoted after staging THEN it copies staging, not the registry', async () => {
    const { engine, production, registry } = world();
    await engine.promote('app', 'staging');
    registry.set(img('d'));
    await engine.promote('app', 'production');
    expect(production.content).toContain(img('b').digest);
  });

  it('GIVEN one registry down WHEN status THEN that phase shows the error and other pipelines are unaffected', async () => {
    const { engine, registry } = world();
    registry.fail = new SourceError('registry_unreachable', 'registry http://127.0.0.1:1 is unreachable');
    const all = await engine.status();
    const app = all.find((p) => p.pipeline === 'app');
    expect(app?.phases[0]).toMatchObject({ state: 'error', error: { code: 'registry_unreachable' } });
    expect(all.find((p) => p.pipeline === 'other')?.phases[0]?.state).toBe('source');
    await expect(engine.promote('app', 'staging')).rejects.toThrow('unreachable');
  });

  it('GIVEN an explicit version the registry holds WHEN released into production THEN it is written regardless of staging', async () => {
    const { engine, production, registry } = world();
    registry.publish(img('e'));
    const out = await engine.promote('app', 'production', { target: img('e'), reason: 'rollback' });
    expect(out.kind).toBe('promoted');
    expect(out.plan).toMatchObject({ reason: 'rollback' });
    expect(production.content).toContain(img('e').digest);
  });

  it("GIVEN a person's reason WHEN an ordinary promotion is planned and made THEN the reason is the plan's", async () => {
    const { engine } = world();
    expect(await engine.plan('app', 'staging', { reason: 'needed for the demo' })).toMatchObject({
      kind: 'promote',
      from: 'oci',
      reason: 'needed for the demo',
    });
    const out = await engine.promote('app', 'staging', { reason: 'needed for the demo' });
    expect(out.plan).toMatchObject({ reason: 'needed for the demo' });
  });

  describe('explicit versions are checked before anything is written', () => {
    const refused = async (target: unknown) => {
      const { engine, production, registry } = world();
      registry.publish(img('e'));
      const before = production.content;
      const e = await engine.promote('app', 'production', { target }).then(
        () => undefined,
        (err: unknown) => err as { code?: string; field?: string; message: string },
      );
      expect(production.content).toBe(before);
      expect(production.writes).toBe(0);
      return e;
    };

    it('GIVEN a target of another resource kind WHEN promoted THEN invalid_target naming target.kind', async () => {
      const e = await refused({ kind: 'helm-chart', name: 'app', version: '1.0.0' });
      expect(e).toMatchObject({ code: 'invalid_target', field: 'target.kind' });
      expect(e?.message).toContain('expected kind "oci-image"');
    });

    it('GIVEN a target missing its digest WHEN promoted THEN invalid_target naming target.digest', async () => {
      expect(await refused({ kind: 'oci-image', repository: 'reg/app' })).toMatchObject({
        code: 'invalid_target',
        field: 'target.digest',
      });
    });

    it('GIVEN a repository with a newline WHEN promoted THEN invalid_target naming target.repository', async () => {
      const e = await refused({ ...img('e'), repository: 'reg/app\nevil: true' });
      expect(e).toMatchObject({ code: 'invalid_target', field: 'target.repository' });
      expect(e?.message).toContain('line break');
    });

    it('GIVEN a registry the pipeline does not read WHEN promoted THEN invalid_target naming what it reads', async () => {
      const e = await refused(img('e', 'evil.example.com/x'));
      expect(e).toMatchObject({ code: 'invalid_target', field: 'target.repository' });
      expect(e?.message).toContain('reg/app');
    });

    it('GIVEN a digest the registry does not hold WHEN promoted THEN target_not_found naming target.digest', async () => {
      expect(await refused(img('0'))).toMatchObject({ code: 'target_not_found', field: 'target.digest' });
    });

    it('GIVEN a pipeline whose sources cannot look versions up WHEN a well-formed target is released THEN it is written', async () => {
      const file = memoryFile('env/x.yaml', `image: reg/app@${img('a').digest}\n`);
      const system = createSystem({
        pipelines: [definePipeline({ name: 'solo', resource: ociImage, phases: [{ name: 'x', source: file }] })],
      });
      const engine = createEngine({ system, context: { services: createServices(), logger: silentLogger } });
      expect((await engine.promote('solo', 'x', { target: img('f') })).kind).toBe('promoted');
      await expect(engine.promote('solo', 'x', { target: { ...img('f'), digest: 'sha256:0' } })).rejects.toMatchObject({
        code: 'invalid_target',
      });
    });
  });

  it('GIVEN a read-only phase WHEN promoted THEN a typed error, no write', async () => {
    const { engine } = world();
    await expect(engine.promote('app', 'oci')).rejects.toMatchObject({ code: 'phase_not_writable' });
    await expect(engine.promote('nope', 'oci')).rejects.toMatchObject({
      code: 'unknown_pipeline',
      known: ['app', 'other'],
    });
  });
});
