import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from './errors.js';
import type { Pipeline } from './pipeline.js';
import { definePipeline } from './pipeline.js';
import { ociImage } from './resource.js';
import { createSystem, findPhase, findPipeline, validateSystem } from './system.js';
import { memoryFile, memoryRegistry } from './test-sources.test-support.js';

const reg = memoryRegistry();
const file = memoryFile('f.yaml', 'image: r@sha256:aa\n');

describe('validateSystem', () => {
  it('GIVEN a valid fan-out/fan-in graph THEN no issues', () => {
    const p = definePipeline({
      name: 'app',
      resource: ociImage,
      phases: [
        { name: 'oci', source: reg },
        { name: 'staging', promotesFrom: ['oci'], source: file },
        { name: 'eu-prod', promotesFrom: ['staging'], source: file },
        { name: 'us-prod', promotesFrom: ['staging'], source: file },
        { name: 'global', promotesFrom: ['eu-prod', 'us-prod'], source: file },
      ],
    });
    expect(validateSystem({ pipelines: [p] })).toEqual([]);
  });

  it('GIVEN several mistakes THEN every one is reported with its path', () => {
    const bad = definePipeline({
      name: 'app',
      resource: ociImage,
      phases: [
        { name: 'oci', source: reg },
        { name: 'oci', source: reg },
        { name: 'staging', promotesFrom: ['ocii'], source: file },
        { name: 'mirror', promotesFrom: ['oci'], source: reg },
        { name: 'a', promotesFrom: ['b'], source: file },
        { name: 'b', promotesFrom: ['a'], source: file },
      ],
    });
    const dup = definePipeline({ name: 'app', resource: ociImage, phases: [{ name: 'x', source: reg }] });
    const issues = validateSystem({ pipelines: [bad, dup] });
    const text = issues.map((i) => `[${i.path}] ${i.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        '[pipelines[0](app).phases[1](oci).name] duplicate phase name "oci"',
        '[pipelines[0](app).phases[2](staging).promotesFrom] unknown phase "ocii"; known: oci, staging, mirror, a, b',
        '[pipelines[0](app).phases[3](mirror).source] memory registry is read-only; a phase promoted into needs a writable source',
        '[pipelines[0](app).phases] cycle: a -> b -> a',
        '[pipelines[1](app).name] duplicate pipeline name "app"',
      ]),
    );
    expect(() => createSystem({ pipelines: [bad] })).toThrow(ValidationError);
  });

  it('GIVEN unknown names WHEN looked up THEN NotFoundError lists the known ones', () => {
    const sys = createSystem({
      pipelines: [definePipeline({ name: 'app', resource: ociImage, phases: [{ name: 'oci', source: reg }] })],
    });
    expect(() => findPipeline(sys, 'ap')).toThrow('unknown pipeline "ap"; known: app');
    const p = findPipeline(sys, 'app');
    const e = (() => {
      try {
        findPhase(p, 'prod');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(NotFoundError);
    expect((e as NotFoundError).known).toEqual(['oci']);
    expect((e as NotFoundError).code).toBe('unknown_phase');
  });

  it('GIVEN pipelines looked up by name WHEN the array is changed in place afterwards THEN lookups see the change, and a duplicate name finds the first', () => {
    const make = (name: string): Pipeline =>
      definePipeline({ name, resource: ociImage, phases: [{ name: 'oci', source: reg }] }) as unknown as Pipeline;
    const pipelines = Array.from({ length: 50 }, (_, i) => make(`app-${i}`));
    const sys = { pipelines };
    expect(pipelines.map((p) => findPipeline(sys, p.name))).toEqual(pipelines);
    const replaced = make('renamed');
    pipelines[7] = replaced;
    pipelines.push(make('added'));
    expect(findPipeline(sys, 'renamed')).toBe(replaced);
    expect(findPipeline(sys, 'added')).toBe(pipelines[50]);
    expect(() => findPipeline(sys, 'app-7')).toThrow(NotFoundError);
    expect(findPipeline(sys, 'app-8')).toBe(pipelines[8]);
    pipelines.push(make('app-3'));
    expect(findPipeline(sys, 'app-3')).toBe(pipelines[3]);
  });
});
