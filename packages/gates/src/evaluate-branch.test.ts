import { describe, expect, it } from 'vitest';
import type { GateFacts } from './facts.js';
import { autoFactsAt, evidenceOf, factsAt, verdictOf } from './facts.test-support.js';

const NOW = '2025-12-05T12:00:00Z';
const onBranch = (f: GateFacts, branch: string | undefined): GateFacts => ({
  ...f,
  version: { ...f.version, source: { ...f.version.source, branch } },
});
const mainOnly = { kind: 'branch', branches: ['main', 'release/*'] };

describe('the branch gate', () => {
  it('GIVEN a version from main or a release branch WHEN evaluated THEN it passes, naming the pattern', () => {
    expect(verdictOf(mainOnly, autoFactsAt(NOW))).toMatchObject({ outcome: 'pass', reason: 'built from main' });
    const v = verdictOf(mainOnly, onBranch(autoFactsAt(NOW), 'refs/heads/release/2.1'));
    expect(evidenceOf(v, 'branch')).toMatchObject({ branch: 'release/2.1', matched: 'release/*' });
    // a glob's * stops at /
    expect(verdictOf(mainOnly, onBranch(autoFactsAt(NOW), 'release/2.1/rc')).outcome).toBe('block');
  });

  it('GIVEN a version from a hotfix branch WHEN released by hand or not THEN it blocks and says what may enter', () => {
    const v = verdictOf(mainOnly, onBranch(factsAt(NOW), 'hotfix/cart'));
    expect(v).toMatchObject({
      outcome: 'block',
      reason: 'built from hotfix/cart; only versions from main, release/* may enter',
      unblock: 'release a version built from main, release/*',
    });
  });

  it('GIVEN manualOnly WHEN a hotfix version is released by hand THEN it passes; promoted automatically THEN it blocks', () => {
    const staging = { kind: 'branch', branches: 'main', manualOnly: true };
    const byHand = verdictOf(staging, onBranch(factsAt(NOW), 'hotfix/cart'));
    expect(byHand).toMatchObject({
      outcome: 'pass',
      reason: 'built from hotfix/cart, released by hand (only versions from main are promoted automatically)',
    });
    const auto = verdictOf(staging, onBranch(autoFactsAt(NOW), 'hotfix/cart'));
    expect(auto).toMatchObject({
      outcome: 'block',
      unblock: 'release it by hand, or release a version built from main',
    });
    expect(evidenceOf(auto, 'branch')).toMatchObject({ manualOnly: true, manual: false, branch: 'hotfix/cart' });
  });

  it('GIVEN a regex pattern WHEN evaluated THEN it is tested as written', () => {
    const g = { kind: 'branch', branches: ['/^hotfix-\\d+$/'] };
    expect(verdictOf(g, onBranch(autoFactsAt(NOW), 'hotfix-12')).outcome).toBe('pass');
    expect(verdictOf(g, onBranch(autoFactsAt(NOW), 'hotfix-12b')).outcome).toBe('block');
  });

  it('GIVEN the branch is not known WHEN evaluated THEN it blocks for the missing fact, also by hand', () => {
    for (const f of [onBranch(autoFactsAt(NOW), undefined), onBranch(factsAt(NOW), '')]) {
      const v = verdictOf({ kind: 'branch', branches: 'main', manualOnly: true }, f);
      expect(v).toMatchObject({ outcome: 'block', reason: 'the branch this version was built from is not known' });
    }
  });
});
