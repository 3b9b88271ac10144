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

  it('GIVEN an explicit version WHEN released into production THEN it is written regardless of staging', async () => {
    const { engine, production } = world();
    const out = await engine.promote('app', 'production', { target: img('e'), reason: 'rollback' });
    expect(out.kind).toBe('promoted');
    expect(production.content).toContain(img('e').digest);
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
