import { describe, expect, it } from 'vitest';
import type { ArtifactFacts } from './artifact-merge.js';
import { mergeFacts, mergeStep, sameFacts } from './artifact-merge.js';

const base: ArtifactFacts = {
  image: 'ghcr.io/acme/app',
  digest: 'sha256:1',
  source: { commit: 'aaaaaaa', branch: 'main' },
  labelled: [],
  ci: { runUrl: 'https://ci/1' },
  pipelines: ['app'],
  verified: false,
  unverifiedReason: 'registry down',
};

describe('merging reports of one artifact', () => {
  it('GIVEN the same facts again THEN the same facts (a replay)', () => {
    expect(sameFacts(base, mergeFacts(base, base))).toBe(true);
  });

  it('GIVEN labels after a report THEN they fill gaps only; a report after labels replaces them', () => {
    const withLabels = mergeFacts(base, {
      ...base,
      source: { commit: 'bbbbbbb', repository: 'https://github.com/acme/app' },
      labelled: ['commit', 'repository'],
    });
    expect(withLabels.source).toEqual({ commit: 'aaaaaaa', branch: 'main', repository: 'https://github.com/acme/app' });
    expect(withLabels.labelled).toEqual(['repository']);
    const reported = mergeFacts(withLabels, { ...base, source: { repository: 'acme/app' }, labelled: [] });
    expect(reported.source.repository).toBe('acme/app');
    expect(reported.labelled).toEqual([]);
  });

  it('GIVEN verified once THEN it stays verified and pipelines accumulate', () => {
    const v = mergeFacts(base, { ...base, verified: true, pipelines: ['web'] });
    expect(v).toMatchObject({ verified: true, pipelines: ['app', 'web'] });
    expect(v.unverifiedReason).toBeUndefined();
    expect(mergeFacts(v, base).verified).toBe(true);
  });
});

describe('merging step reports', () => {
  const at = (m: number) => `2026-03-01T10:0${m}:00.000Z`;

  it('GIVEN running then succeeded without times THEN the times heard and the duration between', () => {
    const running = mergeStep(undefined, { name: 'test', status: 'running' }, at(0));
    const done = mergeStep(running, { name: 'test', status: 'succeeded' }, at(2));
    expect(done).toEqual({
      name: 'test',
      status: 'succeeded',
      startedAt: at(0),
      finishedAt: at(2),
      durationMs: 120_000,
      updatedAt: at(2),
    });
    expect(mergeStep(done, { name: 'test', status: 'succeeded' }, at(3))).toBeUndefined();
    expect(mergeStep(done, { name: 'test', status: 'running' }, at(3))).toBeUndefined();
  });

  it('GIVEN a failed step reported succeeded later (a retry) THEN it moves on', () => {
    const failed = mergeStep(undefined, { name: 'test', status: 'failed', durationMs: 5 }, at(0));
    expect(mergeStep(failed, { name: 'test', status: 'succeeded', durationMs: 7 }, at(1))).toMatchObject({
      status: 'succeeded',
      durationMs: 7,
    });
  });
});
