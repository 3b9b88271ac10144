import { describe, expect, it } from 'vitest';
import { parseDuration, formatAge } from './duration.js';
import {
  bundle,
  canonicalJson,
  gitCommit,
  helmChart,
  ociImage,
  ociImageByTag,
  ResourceParseError,
} from './resource.js';
import { img } from './test-sources.test-support.js';

describe('resource identity', () => {
  it('GIVEN two images with the same digest but other tags THEN they are the same version', () => {
    expect(ociImage.digest({ ...img('a'), tag: 'latest' })).toBe(ociImage.digest({ ...img('a'), tag: 'v1' }));
  });

  it('GIVEN images compared by tag THEN a tag-only image equals the pinned one of that tag, and no other', () => {
    const tagged = { kind: 'oci-image' as const, repository: 'ghcr.io/team/app', tag: '1.2.3' };
    expect(ociImageByTag.digest(tagged)).toBe(ociImageByTag.digest({ ...img('a'), tag: '1.2.3' }));
    expect(ociImageByTag.digest(tagged)).not.toBe(ociImageByTag.digest({ ...img('a'), tag: '1.2.4' }));
    // by digest, a tag-only image is never the same version as a pinned one
    expect(ociImage.digest(tagged)).not.toBe(ociImage.digest({ ...img('a'), tag: '1.2.3' }));
    expect(ociImageByTag.describe(tagged)).toBe('app:1.2.3');
    expect(ociImageByTag.parse(JSON.parse(JSON.stringify(tagged)))).toEqual(tagged);
    expect(() => ociImageByTag.parse({ kind: 'oci-image', repository: 'app', digest: img('a').digest })).toThrow(/tag/);
    expect(() => ociImage.parse(tagged)).toThrow(/digest/);
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

  const issuesOf = (fn: () => unknown): readonly { path: string; message: string }[] => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ResourceParseError) return e.issues;
      throw e;
    }
    throw new Error('expected a ResourceParseError');
  };

  it.each([
    ['a newline', { repository: 'reg/app\nkind: Secret' }, 'repository'],
    ['a tab', { repository: 'reg/\tapp' }, 'repository'],
    ['a reference with a tag', { repository: 'reg/app:1.0' }, 'repository'],
    ['an uppercase path', { repository: 'reg/App' }, 'repository'],
    ['outer spaces', { repository: ' reg/app' }, 'repository'],
    ['a megabyte', { repository: `reg/${'a'.repeat(1_000_000)}` }, 'repository'],
    ['a short sha256', { digest: 'sha256:000' }, 'digest'],
    ['a bad tag', { tag: 'v1 beta' }, 'tag'],
  ])('GIVEN an image with %s WHEN parsed THEN refused, naming the field', (_, patch, path) => {
    expect(issuesOf(() => ociImage.parse({ ...img('a'), ...patch })).map((i) => i.path)).toEqual([path]);
  });

  it('GIVEN well-formed values of each kind WHEN parsed THEN they come back as they were', () => {
    const image = { ...img('a', '127.0.0.1:5000/team/app'), tag: '1.2.0' };
    expect(ociImage.parse(image)).toEqual(image);
    const chart = { kind: 'helm-chart', name: 'app', version: '1.2.3-rc.1+b5', repository: 'oci://reg/charts/app' };
    expect(helmChart.parse(chart)).toEqual(chart);
    const commit = { kind: 'git-commit', commit: 'a'.repeat(40), ref: 'refs/heads/main' };
    expect(gitCommit.parse(commit)).toEqual(commit);
    expect(issuesOf(() => helmChart.parse({ ...chart, version: '1.2' })).map((i) => i.path)).toEqual(['version']);
    expect(issuesOf(() => gitCommit.parse({ ...commit, ref: 'main..x' })).map((i) => i.path)).toEqual(['ref']);
  });

  it('GIVEN a bundle with bad artifacts WHEN parsed THEN every bad field is named under artifacts', () => {
    const type = bundle({ image: ociImage, chart: helmChart });
    const issues = issuesOf(() =>
      type.parse({ kind: 'bundle', artifacts: { image: { ...img('a'), digest: 'x' }, chart: { kind: 'oci-image' } } }),
    );
    expect(issues.map((i) => i.path)).toEqual(['artifacts.chart.kind', 'artifacts.image.digest']);
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
