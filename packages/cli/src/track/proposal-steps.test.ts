import { describe, expect, it } from 'vitest';
import { stepLine } from './render.js';
import type { TrackedPromotion } from './steps.js';
import { stepsOf, verdictOf } from './steps.js';

const at = '2026-01-02T03:04:05.000Z';
const URL = 'https://gitlab.test/acme/config/-/merge_requests/7';

function proposed(over: Partial<TrackedPromotion> = {}): TrackedPromotion {
  return {
    id: '0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1',
    pipeline: 'app',
    phase: 'staging',
    fromPhase: 'oci',
    toDigest: `sha256:${'ab'.repeat(32)}`,
    toVersion: 'app:latest@abababababab',
    target: { kind: 'oci-image' },
    trigger: { kind: 'person', actor: 'ci' },
    reason: 'upstream moved',
    state: 'proposed',
    attempts: 1,
    createdAt: at,
    updatedAt: at,
    proposal: {
      provider: 'gitlab',
      repository: 'acme/config',
      number: 7,
      url: URL,
      state: 'open',
      headBranch: 'gantry/app/staging',
      headSha: 'c0ffee'.padEnd(40, '1'),
    },
    events: [
      { state: 'queued', at, detail: {} },
      { state: 'running', at, detail: {} },
      { state: 'proposed', at, detail: {} },
    ],
    ...over,
  };
}

describe('gantry track follows a proposal', () => {
  it('GIVEN a proposed promotion WHEN tracked THEN its step shows the merge request and track keeps following', () => {
    const p = proposed();
    const step = stepsOf(p).find((s) => s.kind === 'promotion' && s.state === 'proposed');
    expect(step && stepLine(step, false)).toContain(`proposed             ${URL}`);
    expect(verdictOf(p, { hasVerification: true })).toBeUndefined();
  });

  it('GIVEN the merge request merged WHEN tracked THEN the succeeded step says merged with its URL', () => {
    const p = proposed({
      state: 'succeeded',
      commitSha: 'feed'.padEnd(40, '2'),
      events: [...proposed().events, { state: 'succeeded', at, detail: {} }],
    });
    const step = stepsOf(p).find((s) => s.kind === 'promotion' && s.state === 'succeeded');
    expect(step && stepLine(step, false)).toContain(`merged ${URL}`);
  });

  it('GIVEN the merge request closed unmerged WHEN tracked THEN track ends failed, naming proposal_closed', () => {
    const p = proposed({
      state: 'failed',
      error: { code: 'proposal_closed', message: `merge request !7 (${URL}) was closed without merging` },
    });
    expect(verdictOf(p, { hasVerification: true })).toMatchObject({ outcome: 'failed' });
    expect(verdictOf(p, { hasVerification: true })?.reason).toContain('proposal_closed');
  });
});
