import type { LandedPromotion, Promotion } from '@gantry/store';
import { describe, expect, it } from 'vitest';
import type { LineageInput } from './lineage.js';
import { assembleLineage, releaseSpecOf } from './lineage.js';
import { createLinker } from './links.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const image = (c: string, tag: string) => ({ kind: 'oci-image', repository: 'ghcr.io/acme/app', tag, digest: d(c) });
const v = (c: string, tag: string) => `app:${tag}@${c.repeat(12)}`;
const linker = createLinker({ repositories: { config: { url: 'https://github.com/acme/config' } } });

let n = 0;
function landed(phase: string, c: string, tag: string, at: string, extra: Partial<Promotion> = {}): LandedPromotion {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    landedAt: at,
    promotion: {
      id,
      pipeline: 'app',
      phase,
      fromPhase: phase === 'staging' ? 'oci' : 'staging',
      fromDigest: d(c),
      toDigest: d(c),
      toVersion: v(c, tag),
      target: image(c, tag),
      trigger: { kind: 'policy', policy: 'auto' },
      reason: '',
      state: 'succeeded',
      commitSha: `${c}${'0'.repeat(39)}`,
      attempts: 1,
      createdAt: at,
      updatedAt: at,
      ...extra,
    },
  };
}

const phases: LineageInput['phases'] = [
  { phase: 'oci', writable: false },
  { phase: 'staging', writable: true, repository: 'config' },
  { phase: 'production', writable: true, repository: 'config' },
];

describe('assembleLineage', () => {
  it('GIVEN promotions through two phases WHEN assembled THEN each version has entered, left and verified per phase', () => {
    const a1 = landed('staging', 'a', '1.0', '2025-01-01T10:00:00.000Z', {
      verification: { state: 'verified', at: '2025-01-01T10:05:00.000Z', run: 1 },
    });
    const a2 = landed('production', 'a', '1.0', '2025-01-01T11:00:00.000Z');
    const b1 = landed('staging', 'b', '1.1', '2025-01-02T10:00:00.000Z', {
      trigger: { kind: 'person', actor: 'grace' },
    });
    const lineage = assembleLineage({
      pipeline: 'app',
      phases,
      landed: [a1, a2, b1],
      history: {},
      current: { oci: { digest: d('b') }, staging: { digest: d('b') }, production: { digest: d('a') } },
      artifacts: [],
      linker,
    });
    expect(lineage.versions.map((x) => x.version)).toEqual([v('b', '1.1'), v('a', '1.0')]);
    const [b, a] = lineage.versions;
    expect(a?.phases.map((c) => [c.phase, c.enteredAt, c.leftAt, c.current, c.verified])).toEqual([
      ['oci', '2025-01-01T10:00:00.000Z', '2025-01-02T10:00:00.000Z', false, false],
      ['staging', '2025-01-01T10:00:00.000Z', '2025-01-02T10:00:00.000Z', false, true],
      ['production', '2025-01-01T11:00:00.000Z', undefined, true, false],
    ]);
    expect(a?.phases[1]?.verifiedAt).toBe('2025-01-01T10:05:00.000Z');
    expect(b?.phases[1]?.stays).toEqual([
      {
        via: 'gantry',
        promotionId: b1.promotion.id,
        commit: b1.promotion.commitSha,
        url: `https://github.com/acme/config/commit/${b1.promotion.commitSha}`,
        by: 'grace',
        enteredAt: '2025-01-02T10:00:00.000Z',
      },
    ]);
    expect(b?.phases[2]).toEqual({ phase: 'production', current: false, verified: false, stays: [] });
    expect(b?.release).toEqual({ digest: d('b') });
  });

  it('GIVEN commits Gantry did not write in the Git history WHEN assembled THEN they enter at their commit time', () => {
    const a1 = landed('staging', 'a', '1.0', '2025-01-01T10:00:00.000Z');
    const lineage = assembleLineage({
      pipeline: 'app',
      phases,
      landed: [a1],
      history: {
        staging: [
          // newest first: a hand edit back to 0.9, Gantry's own commit (skipped: the promotion tells more), the first 0.9
          {
            revision: { id: 'h2', time: new Date('2025-01-03T09:00:00Z'), author: 'Linus <l@example.com>' },
            resource: image('9', '0.9'),
            digest: d('9'),
            version: v('9', '0.9'),
          },
          {
            revision: {
              id: 'g1',
              time: new Date('2025-01-01T10:00:00Z'),
              trailers: { 'Gantry-Promotion-Id': a1.promotion.id },
            },
            resource: image('a', '1.0'),
            digest: d('a'),
            version: v('a', '1.0'),
          },
          {
            revision: { id: 'h1', time: new Date('2024-12-30T09:00:00Z'), author: 'Ada <a@example.com>' },
            resource: image('9', '0.9'),
            digest: d('9'),
            version: v('9', '0.9'),
          },
        ],
      },
      current: { staging: { digest: d('9'), setBy: { id: 'h2' } } },
      artifacts: [],
      linker,
    });
    const old = lineage.versions.find((x) => x.digest === d('9'));
    const staging = old?.phases.find((c) => c.phase === 'staging');
    expect(staging?.stays.map((s) => [s.via, s.commit, s.by, s.enteredAt, s.leftAt])).toEqual([
      ['git', 'h1', 'Ada', '2024-12-30T09:00:00.000Z', '2025-01-01T10:00:00.000Z'],
      ['git', 'h2', 'Linus', '2025-01-03T09:00:00.000Z', undefined],
    ]);
    expect(staging?.current).toBe(true);
    expect(old?.firstSeen).toBe('2024-12-30T09:00:00.000Z');
    expect(lineage.versions.find((x) => x.digest === d('a'))?.phases[1]?.stays).toHaveLength(1);
  });

  it('GIVEN a hand edit made within the same second as a promotion WHEN assembled THEN the Git history orders them, not the clock', () => {
    // Gantry recorded its landing at .400; the hand edit on top of its commit has a whole-second time (.000)
    const a1 = landed('staging', 'a', '1.0', '2025-01-01T10:00:05.400Z');
    const lineage = assembleLineage({
      pipeline: 'app',
      phases,
      landed: [a1],
      history: {
        staging: [
          {
            revision: { id: 'h2', time: new Date('2025-01-01T10:00:05Z'), author: 'Linus <l@example.com>' },
            resource: image('9', '0.9'),
            digest: d('9'),
            version: v('9', '0.9'),
          },
          {
            revision: { id: a1.promotion.commitSha ?? '', trailers: { 'Gantry-Promotion-Id': a1.promotion.id } },
            resource: image('a', '1.0'),
            digest: d('a'),
            version: v('a', '1.0'),
          },
        ],
      },
      current: { staging: { digest: d('9'), setBy: { id: 'h2' } } },
      artifacts: [],
      linker,
    });
    const cell = (c: string) =>
      lineage.versions.find((x) => x.digest === d(c))?.phases.find((p) => p.phase === 'staging');
    expect(cell('9')).toMatchObject({ current: true, enteredAt: '2025-01-01T10:00:05.000Z' });
    // Gantry's version left when the hand edit came, never before it entered
    expect(cell('a')).toMatchObject({ current: false, leftAt: '2025-01-01T10:00:05.400Z' });
  });

  it('GIVEN a build CI reported that nobody promoted WHEN assembled THEN it is seen at the source', () => {
    const lineage = assembleLineage({
      pipeline: 'app',
      phases,
      landed: [],
      history: {},
      current: {},
      artifacts: [
        {
          id: '00000000-0000-4000-8000-00000000000c',
          kind: 'image',
          image: 'ghcr.io/acme/app',
          digest: d('c'),
          source: { repository: 'acme/app', commit: 'f'.repeat(40) },
          sourceFrom: 'report',
          ci: { runUrl: 'https://github.com/acme/app/actions/runs/9' },
          pipelines: ['app'],
          verified: true,
          reportedAt: '2025-01-04T00:00:00.000Z',
          reportedBy: 'ci',
          updatedAt: '2025-01-04T00:00:00.000Z',
          steps: [],
        },
      ],
      linker,
    });
    const [c] = lineage.versions;
    expect(c?.phases.map((x) => x.enteredAt)).toEqual(['2025-01-04T00:00:00.000Z', undefined, undefined]);
    expect(c?.links).toEqual({
      sourceCommit: `https://github.com/acme/app/commit/${'f'.repeat(40)}`,
      ciRun: 'https://github.com/acme/app/actions/runs/9',
    });
    expect(c?.release).toEqual({ digest: d('c') });
  });

  it('GIVEN an older version released while a newer one was at the source WHEN assembled THEN the newer one is released by its own digest, not by what the release wrote', () => {
    // staging had 1.1 from the source; a person released 1.0 again while the source still held 1.1
    const back = landed('staging', 'a', '1.0', '2025-01-02T10:00:00.000Z', {
      fromDigest: d('b'),
      fromVersion: v('b', '1.1'),
      trigger: { kind: 'person', actor: 'grace' },
    });
    const lineage = assembleLineage({
      pipeline: 'app',
      phases,
      landed: [back],
      history: {},
      current: { staging: { digest: d('a') } },
      artifacts: [],
      linker,
    });
    const newer = lineage.versions.find((x) => x.digest === d('b'));
    expect(newer).toMatchObject({ version: v('b', '1.1'), release: { digest: d('b') } });
    // the target written (1.0) is not the newer version's resource
    expect(newer?.resource).toBeUndefined();
    expect(newer?.phases.map((c) => [c.phase, c.enteredAt])).toEqual([
      ['oci', '2025-01-02T10:00:00.000Z'],
      ['staging', undefined],
      ['production', undefined],
    ]);
    expect(lineage.versions.find((x) => x.digest === d('a'))?.release).toEqual({ digest: d('a') });
  });

  it('GIVEN resources of each kind WHEN asked how to release them THEN by digest, chart version or tag', () => {
    expect(releaseSpecOf(image('a', '1'), d('a'), 'x')).toEqual({ digest: d('a') });
    expect(releaseSpecOf({ kind: 'helm-chart', name: 'app', version: '1.2.3' }, 'sha256:zz', 'app-1.2.3')).toEqual({
      version: '1.2.3',
    });
    expect(releaseSpecOf({ kind: 'oci-image', repository: 'r', tag: '2.0' }, 'tag:2.0', 'r:2.0')).toEqual({
      version: '2.0',
    });
  });
});
