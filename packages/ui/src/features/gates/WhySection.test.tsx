import type { ApiGateVerdict, ApiPlan, ApiWhy } from '@gantry/api';
import type { GantryClient } from '@gantry/client';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { branchVerdict, hold, promotion, verdict } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { PromoteDialog } from '../phase/PromoteDialog.js';

afterEach(cleanup);

const PLAN: ApiPlan = {
  kind: 'promote',
  pipeline: 'app',
  phase: 'production',
  reason: 'staging is at app@222222222222',
  target: { resource: { kind: 'oci-image' }, digest: 'sha256:2222222222222222', version: 'app@222222222222' },
  diff: '--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+b\n',
  message: 'release app@222222222222 to production',
  trailers: {},
};

function whyWith(verdicts: ApiGateVerdict[], o: Partial<ApiWhy> = {}): ApiWhy {
  return {
    plan: PLAN,
    gates: { verdicts, summary: { outcome: 'pass', blocking: [], waiting: [], reason: '' } },
    holds: [],
    unfinished: [],
    ...o,
  };
}

function open(why: ApiWhy) {
  const promote = vi.fn<GantryClient['promote']>(async () => ({
    kind: 'queued' as const,
    promotion: promotion({ state: 'waiting', gates: why.gates?.verdicts }),
    plan: PLAN,
  }));
  const onQueued = vi.fn();
  const ask = vi.fn<GantryClient['why']>(async () => why);
  const t = testProviders({ client: { plan: async () => PLAN, why: ask, promote } });
  render(<PromoteDialog pipeline="app" phase="production" onClose={() => undefined} onQueued={onQueued} />, {
    wrapper: t.wrapper,
  });
  return { promote, onQueued, ask };
}

const gate = (name: string) =>
  screen.getByRole('list', { name: 'Gate verdicts' }).querySelector(`[data-gate="${name}"]`);

describe('the why in the promote dialog', () => {
  it('GIVEN an approval gate that waits THEN its outcome, reason and what unblocks it are words, and the button requests', async () => {
    // GIVEN
    const { promote, onQueued } = open(
      whyWith([
        verdict(),
        verdict({
          gate: 'soak',
          kind: 'soak',
          outcome: 'pass',
          reason: 'verified in staging and soaked 1h',
          unblock: undefined,
        }),
      ]),
    );
    // THEN
    const request = await screen.findByRole('button', { name: 'Request (waits for approval)' });
    const approval = gate('two-admins');
    expect(approval?.textContent).toContain('waiting');
    expect(approval?.textContent).toContain('0 of 2 approvals');
    expect(approval?.textContent).toContain('To unblock: two more approvals from role admin');
    expect(gate('soak')?.textContent).toContain('pass');
    expect(gate('soak')?.textContent).not.toContain('To unblock');
    expect(screen.getByRole('status').textContent).toContain('Waits for two-admins');
    // WHEN
    fireEvent.click(request);
    // THEN the request is recorded, waiting
    await waitFor(() => expect(onQueued).toHaveBeenCalledWith(expect.objectContaining({ state: 'waiting' })));
    expect(promote).toHaveBeenCalledWith('app', 'production', {});
  });

  it('GIVEN a gate that blocks THEN Promote is disabled and the footer says which gate and why', async () => {
    open(
      whyWith([
        verdict(),
        verdict({
          gate: 'ticket',
          kind: 'commit',
          outcome: 'block',
          reason: 'the message of df71bd11 has no ticket reference',
          unblock: 'release from a commit whose message has a ticket like OPS-123',
          evidence: { identity: 'committer', commit: 'df71bd11aaaa', subject: 'quick fix', failed: ['ticket'] },
        }),
      ]),
    );
    await screen.findByText(/^Blocked by ticket/);
    const button = screen.getByRole('button', { name: 'Promote' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText('Blocked: ticket: the message of df71bd11 has no ticket reference')).toBeTruthy();
    expect(gate('ticket')?.textContent).toContain('blocked');
    expect(gate('ticket')?.textContent).toContain('df71bd11 “quick fix”');
  });

  it('GIVEN a hotfix build THEN the dialog asks the server to judge it as this person’s release by hand, which passes it and says so', async () => {
    // as the server answers `why?as=person` for a hotfix build under a manual-only branch rule
    const { ask } = open(
      whyWith([
        branchVerdict({
          outcome: 'pass',
          reason: 'built from hotfix/42, released by hand (only versions from main are promoted automatically)',
          unblock: undefined,
          evidence: { allowed: ['main'], manualOnly: true, manual: true, branch: 'hotfix/42' },
        }),
      ]),
    );
    const button = (await screen.findByRole('button', { name: 'Promote' })) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(ask).toHaveBeenCalledWith('app', 'production', { as: 'person' });
    expect(gate('main-only')?.textContent).toContain('pass by hand');
    expect(gate('main-only')?.textContent).toContain('automatic promotion stops here');
    expect(gate('main-only')?.getAttribute('data-outcome')).toBe('pass');
  });

  it('GIVEN a gate that blocks even a release by hand (a hotfix where only main may go) THEN Promote stays disabled', async () => {
    open(
      whyWith([
        branchVerdict({
          reason: 'built from hotfix/42; only versions from main may enter',
          unblock: 'release a version built from main',
          evidence: { allowed: ['main'], manualOnly: false, manual: true, branch: 'hotfix/42' },
        }),
      ]),
    );
    await screen.findByText(/^Blocked by main-only/);
    expect((screen.getByRole('button', { name: 'Promote' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('GIVEN the phase is pinned and a request already waits THEN both are said, with who and why', async () => {
    open(
      whyWith([verdict()], {
        holds: [hold()],
        unfinished: [promotion({ state: 'waiting', trigger: { kind: 'person', actor: 'bob' } })],
      }),
    );
    const section = await screen.findByRole('region', { name: 'Gates for this version' });
    expect(within(section).getByText('pinned by ann: rollback to app@1.2')).toBeTruthy();
    expect(section.textContent).toContain('app@222222222222 waiting (by bob)');
  });

  it('GIVEN the gates are still being judged THEN confirming waits for them', async () => {
    let answer: (w: ApiWhy) => void = () => undefined;
    const t = testProviders({
      client: { plan: async () => PLAN, why: () => new Promise<ApiWhy>((r) => (answer = r)) },
    });
    render(<PromoteDialog pipeline="app" phase="production" onClose={() => undefined} onQueued={() => undefined} />, {
      wrapper: t.wrapper,
    });
    await screen.findByText('Checking the gates…');
    expect((screen.getByRole('button', { name: 'Promote' }) as HTMLButtonElement).disabled).toBe(true);
    answer(whyWith([]));
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Promote' }) as HTMLButtonElement).disabled).toBe(false),
    );
  });
});
