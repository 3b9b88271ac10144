import type { ApiMe, ApiPromotion } from '@gantry/api';
import type { GantryClient } from '@gantry/client';
import { ApiProblemError } from '@gantry/client';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { phase, promotion, verdict } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { PhasePanel } from '../phase/PhasePanel.js';

afterEach(cleanup);

const me = (name: string, role: ApiMe['role']): ApiMe => ({ name, role, open: false, permissions: [] });

const waiting = promotion({
  id: '00000000-0000-4000-8000-00000000000a',
  state: 'waiting',
  trigger: { kind: 'person', actor: 'ann' },
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  gates: [verdict()],
});
const earlier = promotion();

/** The production panel of `app` with one promotion waiting for two admins, seen by `who`. */
function panel(who: ApiMe, client: Partial<GantryClient> = {}) {
  const t = testProviders({
    me: who,
    client: { history: async () => ({ items: [waiting, earlier] }), ...client },
  });
  render(<PhasePanel pipeline="app" status={phase('app', 'production', { upstreams: [] })} />, {
    wrapper: t.wrapper,
  });
  return t;
}

const region = () => screen.findByRole('region', { name: 'Waiting for gates' });

describe('approving and rejecting a waiting promotion in the phase panel', () => {
  it('GIVEN an admin who did not ask WHEN Approve THEN the approval counts at once, and a promotion event moves it on without a reload', async () => {
    // GIVEN
    const afterApproval: ApiPromotion = {
      ...waiting,
      updatedAt: '2026-01-02T10:01:00.000Z',
      gates: [
        verdict({
          reason: '1 of 2 approvals: bob (admin)',
          unblock: 'one more approval from role admin',
          evidence: {
            required: 2,
            eligible: { minRole: 'admin', tokens: [], text: 'role admin' },
            approvers: [{ by: 'bob', role: 'admin', at: '2026-01-02T10:01:00.000Z' }],
            rejections: [],
            ignored: [],
          },
        }),
      ],
    };
    const approve = vi.fn<GantryClient['approve']>(async () => afterApproval);
    const t = panel(me('bob', 'admin'), { approve });
    const waitingNow = await region();
    expect(within(waitingNow).getByText('0 of 2 approvals')).toBeTruthy();
    expect(waitingNow.textContent).toContain('Requested by ann; waiting for two-admins');

    // WHEN
    fireEvent.click(within(waitingNow).getByRole('button', { name: 'Approve' }));

    // THEN
    await within(waitingNow).findByText('1 of 2 approvals: bob (admin)');
    expect(approve).toHaveBeenCalledWith(waiting.id);
    const again = within(waitingNow).getByRole('button', { name: 'Approve' }) as HTMLButtonElement;
    expect(again.disabled).toBe(true);
    expect(within(waitingNow).getByText('bob approved this version already')).toBeTruthy();

    // WHEN the second approval (someone else's) releases it
    act(() =>
      t.emit({
        type: 'promotion',
        promotion: { ...afterApproval, state: 'queued', updatedAt: '2026-01-02T10:02:00.000Z' },
      }),
    );
    // THEN
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Waiting for gates' })).toBeNull());
    const row = document.querySelector(`.history-item[data-promotion="${waiting.id}"]`);
    expect(row?.getAttribute('data-state')).toBe('queued');
    // its gates stay on the history row, collapsed
    const gates = row?.querySelector('details.history-gates') as HTMLDetailsElement;
    expect(gates.open).toBe(false);
    expect(gates.querySelector('summary')?.textContent).toBe('Gates: waiting for two-admins');
  });

  it('GIVEN Reject THEN it asks why, refuses an empty reason, and sends the comment', async () => {
    const reject = vi.fn<GantryClient['reject']>(async () => ({
      ...waiting,
      state: 'failed',
      updatedAt: '2026-01-02T10:05:00.000Z',
      error: { code: 'promotion_blocked', message: 'two-admins: rejected by bob' },
    }));
    panel(me('bob', 'admin'), { reject });
    fireEvent.click(within(await region()).getByRole('button', { name: 'Reject…' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/^Why/), { target: { value: '   ' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/^Why/), { target: { value: 'breaks checkout' } });
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(reject).toHaveBeenCalledWith(waiting.id, { comment: 'breaks checkout' });
    expect(screen.queryByRole('region', { name: 'Waiting for gates' })).toBeNull();
    expect(screen.getByText('promotion_blocked: two-admins: rejected by bob')).toBeTruthy();
  });

  it('GIVEN a viewer THEN Approve and Reject are disabled with the reason; GIVEN the requester THEN only Reject', async () => {
    const approve = vi.fn();
    panel(me('vic', 'viewer'), { approve });
    const viewer = await region();
    for (const name of ['Approve', 'Reject…'])
      expect((within(viewer).getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(viewer).getByText('Deciding needs role admin; token "vic" has viewer')).toBeTruthy();
    fireEvent.click(within(viewer).getByRole('button', { name: 'Approve' }));
    expect(approve).not.toHaveBeenCalled();
    cleanup();

    panel(me('ann', 'admin'));
    const requester = await region();
    expect((within(requester).getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(requester).getByRole('button', { name: 'Reject…' }) as HTMLButtonElement).disabled).toBe(false);
    expect(within(requester).getByText('ann requested this promotion: their own approval does not count')).toBeTruthy();
  });

  it('GIVEN the promotion stopped waiting meanwhile THEN the server’s refusal is shown', async () => {
    const approve = vi.fn<GantryClient['approve']>(async () => {
      throw new ApiProblemError({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'promotion_not_waiting',
        detail: 'promotion is queued: it waits for no decision',
      });
    });
    panel(me('bob', 'admin'), { approve });
    fireEvent.click(within(await region()).getByRole('button', { name: 'Approve' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Conflict: promotion is queued: it waits for no decision',
    );
  });
});
