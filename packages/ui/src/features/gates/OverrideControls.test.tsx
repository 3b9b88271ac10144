import type { ApiMe, ApiOverrideResult, ApiPromotion } from '@gantry/api';
import type { GantryClient } from '@gantry/client';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { promotion, verdict } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import type { Verdict } from './gate-format.js';
import { OverrideControls } from './OverrideControls.js';

afterEach(cleanup);

const me = (name: string, role: ApiMe['role']): ApiMe => ({ name, role, open: false, permissions: [] });

const closed = verdict({
  gate: 'office hours',
  kind: 'window',
  outcome: 'wait',
  reason: 'closed: Sat 12:00 UTC is outside mon-fri 09:00-17:00',
  unblock: 'the window opens Mon 09:00 UTC, or an admin overrides the window with a reason',
  evidence: { timeZone: 'UTC', localTime: 'Sat 12:00', open: false, closedBy: 'schedule' },
}) as Verdict;

const waiting = promotion({ state: 'waiting', gates: [closed] as unknown as ApiPromotion['gates'] });

function show(who: ApiMe, verdicts: readonly Verdict[], client: Partial<GantryClient> = {}) {
  const onOverridden = vi.fn<(p: ApiPromotion) => void>();
  const t = testProviders({ me: who, client });
  render(<OverrideControls promotion={waiting} verdicts={verdicts} onOverridden={onOverridden} />, {
    wrapper: t.wrapper,
  });
  return onOverridden;
}

describe('overriding a closed window from the dashboard', () => {
  it('GIVEN an admin and a closed window WHEN Override with a reason THEN it asks why, sends it for this version, and hands on the released promotion', async () => {
    const released: ApiPromotion = { ...waiting, state: 'queued' };
    const override = vi.fn<GantryClient['override']>(
      async (): Promise<ApiOverrideResult> => ({
        override: {
          id: 'o1',
          pipeline: 'app',
          phase: 'production',
          gate: 'office hours',
          actor: 'ann',
          role: 'admin',
          reason: 'outage fix',
          digest: waiting.toDigest,
          at: '2026-01-03T12:00:00.000Z',
        },
        promotions: [released],
      }),
    );
    const onOverridden = show(me('ann', 'admin'), [closed], { override });

    fireEvent.click(screen.getByRole('button', { name: 'Override office hours…' }));
    const confirm = screen.getByRole('button', { name: 'Override' }) as HTMLButtonElement;
    // no reason, no override
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Why (required)'), { target: { value: ' outage fix ' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);

    await vi.waitFor(() => expect(onOverridden).toHaveBeenCalledWith(released));
    expect(override).toHaveBeenCalledWith('app', 'production', 'office hours', {
      reason: 'outage fix',
      digest: waiting.toDigest,
    });
  });

  it('GIVEN a promoter, or a window that is open THEN no override is offered', () => {
    show(me('pat', 'promoter'), [closed]);
    expect(screen.queryByRole('button', { name: /Override/ })).toBeNull();
    cleanup();
    show(me('ann', 'admin'), [{ ...closed, outcome: 'pass' } as Verdict]);
    expect(screen.queryByRole('button', { name: /Override/ })).toBeNull();
  });
});
