import type { ApiLineage, ApiLineageVersion } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { findInLineage } from './rollback-lineage.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
function version(c: string, tag: string, production: ApiLineageVersion['phases'][number]['stays']): ApiLineageVersion {
  return {
    version: `app:${tag}@${c.repeat(12)}`,
    digest: d(c),
    resource: { kind: 'oci-image', repository: 'ghcr.io/acme/app', tag, digest: d(c) },
    release: { digest: d(c) },
    links: {},
    phases: [
      { phase: 'staging', current: false, verified: false, stays: [{ via: 'gantry', commit: 's1' }] },
      { phase: 'production', current: false, verified: false, stays: production },
    ],
  };
}

const lineage: ApiLineage = {
  pipeline: 'app',
  phases: [
    { phase: 'staging', writable: true },
    { phase: 'production', writable: true },
  ],
  versions: [
    version('b', '1.1', [{ via: 'gantry', commit: 'g2', promotionId: '00000000-0000-4000-8000-000000000001' }]),
    version('a', '1.0', [
      { via: 'git', commit: 'h1', by: 'Ada' },
      { via: 'git', commit: 'h2', by: 'Linus' },
    ]),
    version('9', '0.9', []),
  ],
};

describe('findInLineage', () => {
  it('GIVEN a version only the Git history of the phase held WHEN named by tag, digest prefix or name THEN it is found with its release and the last commit that brought it', () => {
    const found = { version: 'app:1.0@aaaaaaaaaaaa', digest: d('a'), release: { digest: d('a') }, commit: 'h2' };
    expect(findInLineage(lineage, 'production', '1.0')).toEqual(found);
    expect(findInLineage(lineage, 'production', 'aaaaaaa')).toEqual(found);
    expect(findInLineage(lineage, 'production', `sha256:${'a'.repeat(10)}`)).toEqual(found);
    expect(findInLineage(lineage, 'production', 'app:1.0@aaaaaaaaaaaa')).toEqual(found);
  });

  it('GIVEN a version the phase never held WHEN named THEN nothing (a digest prefix under 7 characters names nothing)', () => {
    expect(findInLineage(lineage, 'production', '0.9')).toBeUndefined();
    expect(findInLineage(lineage, 'production', 'aaaaaa')).toBeUndefined();
    expect(findInLineage(lineage, 'production', '2.0')).toBeUndefined();
    expect(findInLineage(lineage, 'canary', '1.0')).toBeUndefined();
  });
});
