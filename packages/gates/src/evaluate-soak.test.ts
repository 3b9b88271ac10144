import { describe, expect, it } from 'vitest';
import type { UpstreamFacts } from './facts.js';
import { autoFactsAt, DIGEST, evidenceOf, OTHER_DIGEST, verdictOf } from './facts.test-support.js';

const NOW = '2025-12-05T12:00:00Z';
const soak2h = { kind: 'soak', duration: '2h' };
const staging = (more: Partial<UpstreamFacts> = {}): UpstreamFacts => ({
  phase: 'staging',
  state: 'verified',
  verifiedAt: '2025-12-05T09:00:00Z',
  digest: DIGEST,
  ...more,
});

describe('the soak gate', () => {
  it('GIVEN verified in staging 3h ago WHEN a 2h soak is required THEN it passes', () => {
    const v = verdictOf(soak2h, autoFactsAt(NOW, { upstreams: [staging()] }));
    expect(v).toMatchObject({ outcome: 'pass', reason: 'verified in staging and soaked 2h' });
    expect(evidenceOf(v, 'soak').upstreams).toEqual([
      { phase: 'staging', state: 'verified', verifiedAt: '2025-12-05T09:00:00Z', soakedAt: '2025-12-05T11:00:00.000Z' },
    ]);
  });

  it('GIVEN verified 40m ago WHEN a 2h soak is required THEN it waits until the soak ends', () => {
    const v = verdictOf(soak2h, autoFactsAt(NOW, { upstreams: [staging({ verifiedAt: '2025-12-05T11:20:00Z' })] }));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-05T13:20:00.000Z' });
    expect(v.reason).toBe('soaking in staging for 2h, until Fri 13:20 UTC (in 1h 20m)');
    expect(v.unblock).toBe('the soak time ends Fri 13:20 UTC (in 1h 20m)');
  });

  it('GIVEN staging still verifying WHEN evaluated THEN it waits for the verification, with no time to re-check', () => {
    const v = verdictOf(
      soak2h,
      autoFactsAt(NOW, { upstreams: [staging({ state: 'running', verifiedAt: undefined })] }),
    );
    expect(v).toMatchObject({ outcome: 'wait', reason: 'staging is still verifying this version' });
    expect(v.changesAt).toBeUndefined();
  });

  it('GIVEN a failed verification, an absent version or another digest WHEN evaluated THEN it blocks and says why', () => {
    const failed = verdictOf(
      soak2h,
      autoFactsAt(NOW, { upstreams: [staging({ state: 'failed', reason: 'smoke failed' })] }),
    );
    expect(failed).toMatchObject({
      outcome: 'block',
      reason: 'verification of this version failed in staging: smoke failed',
    });
    const absent = verdictOf(
      soak2h,
      autoFactsAt(NOW, { upstreams: [staging({ state: 'absent', verifiedAt: undefined })] }),
    );
    expect(absent).toMatchObject({
      outcome: 'block',
      reason: 'this version has not been promoted to staging',
      unblock: 'promote it to staging and let it verify there and soak 2h',
    });
    const other = verdictOf(soak2h, autoFactsAt(NOW, { upstreams: [staging({ digest: OTHER_DIGEST })] }));
    expect(other).toMatchObject({ outcome: 'block', reason: 'staging verified sha256:bbbbbbbbbbbb, not this version' });
  });

  it('GIVEN no upstream verification known WHEN evaluated THEN it blocks for the missing fact', () => {
    const v = verdictOf(soak2h, autoFactsAt(NOW));
    expect(v).toMatchObject({
      outcome: 'block',
      reason: 'no verification of this version in the upstream phase is known',
    });
    const named = verdictOf({ ...soak2h, upstream: 'qa' }, autoFactsAt(NOW, { upstreams: [staging()] }));
    expect(named).toMatchObject({ outcome: 'block', reason: 'no verification of this version in qa is known' });
    const noTime = verdictOf(soak2h, autoFactsAt(NOW, { upstreams: [staging({ verifiedAt: undefined })] }));
    expect(noTime).toMatchObject({ outcome: 'block', reason: 'staging verified this version, but when is not known' });
  });

  it('GIVEN two upstreams (fan-in) WHEN one soaked and one soaking THEN it waits for the later; a named one is looked at alone', () => {
    const upstreams = [staging(), staging({ phase: 'eu-staging', verifiedAt: '2025-12-05T11:00:00Z' })];
    const v = verdictOf(soak2h, autoFactsAt(NOW, { upstreams }));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-05T13:00:00.000Z' });
    expect(v.reason).toContain('soaking in eu-staging');
    expect(verdictOf({ ...soak2h, upstream: 'staging' }, autoFactsAt(NOW, { upstreams })).outcome).toBe('pass');
  });

  it('GIVEN no duration WHEN verified upstream THEN it passes at once: upstream verified is enough', () => {
    const v = verdictOf(
      { kind: 'soak' },
      autoFactsAt(NOW, { upstreams: [staging({ verifiedAt: '2025-12-05T11:59:59Z' })] }),
    );
    expect(v).toMatchObject({ outcome: 'pass', reason: 'verified in staging' });
  });
});
