import { describe, expect, it } from 'vitest';
import { parseDuration, formatAge } from './duration.js';
import { bundle, canonicalJson, helmChart, ociImage } from './resource.js';
import { img } from './test-sources.test-support.js';

describe('resource identity', () => {
  it('GIVEN two images with the same digest but other tags THEN they are the same version', () => {
    expect(ociImage.digest({ ...img('a'), tag: 'latest' })).toBe(ociImage.digest({ ...img('a'), tag: 'v1' }));
  });

  it('GIVEN a bundle THEN its digest covers every artifact and ignores key order', () => {
    const type = bundle({ image: ociImage, chart: helmChart });
    const a = {
      kind: 'bundle' as const,
      artifacts: { image: img('a'), chart: { kind: 'helm-chart' as const, name: 'app', version: '1.0.0' } },
    };
    const b = { kind: 'bundle' as const, artifacts: { chart: a.artifacts.chart, image: img('a') } };
    const c = { ...a, artifacts: { ...a.artifacts, chart: { ...a.artifacts.chart, version: '1.0.1' } } };
    expect(type.digest(a)).toBe(type.digest(b));
    expect(type.digest(a)).not.toBe(type.digest(c));
    expect(type.describe(a)).toBe(`chart=app@1.0.0 image=app@${img('a').digest.slice(7, 19)}`);
    expect(type.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
  });

  it('GIVEN bad JSON WHEN parsed THEN the field is named', () => {
    expect(() => ociImage.parse({ kind: 'oci-image', repository: 'r', digest: 'nope' })).toThrow('oci-image.digest');
    expect(() => helmChart.parse({ kind: 'oci-image' })).toThrow('expected kind "helm-chart"');
  });

  it('canonicalJson sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe('{"a":[{"c":2}],"b":1}');
  });
});

describe('durations', () => {
  it('parses compound durations and rejects garbage', () => {
    expect(parseDuration('1h30m').ms).toBe(5_400_000);
    expect(parseDuration('250ms').ms).toBe(250);
    expect(() => parseDuration('10 parsecs')).toThrow('invalid duration');
    expect(() => parseDuration('')).toThrow('invalid duration');
  });
  it('formats ages in the largest unit', () => {
    expect(formatAge({ ms: 3 * 86_400_000 + 5 })).toBe('3d');
    expect(formatAge({ ms: 59_000 })).toBe('59s');
  });
});
