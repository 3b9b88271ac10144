import type { ApiHold, ApiMe } from '@gantry/api';
import type { GantryClient } from '@gantry/client';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hold, phase, pipelineStatus, promotion } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { Overview } from '../overview/Overview.js';
import { PhasePanel } from '../phase/PhasePanel.js';

afterEach(cleanup);

const me = (name: string, role: ApiMe['role']): ApiMe => ({ name, role, open: false, permissions: [] });

/** client.holds answering what `current` holds at the time of the call. */
function holdsOf(current: { items: ApiHold[] }) {
  return vi.fn<GantryClient['holds']>(async () => ({ items: current.items }));
}

describe('pins and pauses on the overview and in the phase panel', () => {
  it('GIVEN production pinned by ann THEN its overview cell says so in words; WHEN the pin goes THEN the marker goes, live', async () => {
    // GIVEN
    const current = { items: [hold()] };
    const holds = holdsOf(current);
    const t = testProviders({
      holds: true,
      client: { holds, listPipelines: async () => ({ pipelines: [pipelineStatus('app')], observedAt: null }) },
    });
    const { container } = render(<Overview filter="" />, { wrapper: t.wrapper });
    const cell = () => container.querySelector('[data-pipeline="app"] .cell[data-phase="production"]');
    // THEN
    await waitFor(() =>
      expect(cell()?.querySelector('[data-hold="pin"]')?.textContent).toBe('pinned by ann: rollback to app@1.2'),
    );
    expect(container.querySelector('[data-pipeline="app"] .cell[data-phase="staging"] [data-hold]')).toBeNull();

    // WHEN a person promotes the upstream's version (which releases the pin): a promotion event
    current.items = [];
    act(() => t.emit({ type: 'promotion', promotion: promotion({ state: 'queued' }) }));
    // THEN
    await waitFor(() => expect(cell()?.querySelector('[data-hold]')).toBeNull());
    expect(holds).toHaveBeenCalledTimes(2);
  });

  it('GIVEN a whole pipeline paused THEN every phase of it shows the pause', async () => {
    const { phase: _phase, ...paused } = hold({ kind: 'pause', actor: 'carol', reason: 'incident 42' });
    const t = testProviders({
      holds: true,
      client: {
        holds: async () => ({ items: [paused] }),
        listPipelines: async () => ({ pipelines: [pipelineStatus('app')], observedAt: null }),
      },
    });
    render(<Overview filter="" />, { wrapper: t.wrapper });
    await waitFor(() => expect(screen.getAllByText('pipeline paused by carol: incident 42').length).toBe(3));
  });

  it('GIVEN a pinned phase WHEN Unpin THEN the pin is released and the panel reads the holds again', async () => {
    const current = { items: [hold()] };
    const unpin = vi.fn<GantryClient['unpin']>(async () => {
      current.items = [];
      return { ...hold(), releasedAt: '2026-01-02T00:00:00.000Z', releasedBy: 'bob' };
    });
    const t = testProviders({
      holds: true,
      me: me('bob', 'promoter'),
      client: { holds: holdsOf(current), unpin, history: async () => ({ items: [] }) },
    });
    render(<PhasePanel pipeline="app" status={phase('app', 'production')} />, { wrapper: t.wrapper });
    const section = await screen.findByRole('region', { name: 'Pins and pauses' });
    await within(section).findByText('pinned by ann: rollback to app@1.2');
    fireEvent.click(within(section).getByRole('button', { name: 'Unpin' }));
    await within(section).findByText('Automation may move this phase.');
    expect(unpin).toHaveBeenCalledWith('app', 'production');
  });

  it('GIVEN Pause… THEN it asks why and pauses this phase with it; GIVEN a viewer THEN the buttons are disabled with the reason', async () => {
    const pause = vi.fn<GantryClient['pause']>(async () =>
      hold({ kind: 'pause', actor: 'bob', reason: 'incident 42' }),
    );
    const t = testProviders({
      holds: true,
      me: me('bob', 'promoter'),
      client: { holds: async () => ({ items: [] }), pause, history: async () => ({ items: [] }) },
    });
    render(<PhasePanel pipeline="app" status={phase('app', 'production')} />, { wrapper: t.wrapper });
    const section = await screen.findByRole('region', { name: 'Pins and pauses' });
    fireEvent.click(within(section).getByRole('button', { name: 'Pause…' }));
    const submit = within(section).getByRole('button', { name: 'Pause phase' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(section).getByLabelText('Why (required)'), { target: { value: 'incident 42' } });
    fireEvent.click(submit);
    await waitFor(() => expect(pause).toHaveBeenCalledWith('app', { phase: 'production', reason: 'incident 42' }));
    cleanup();

    const v = testProviders({
      holds: true,
      me: me('vic', 'viewer'),
      client: { holds: async () => ({ items: [hold()] }), history: async () => ({ items: [] }) },
    });
    render(<PhasePanel pipeline="app" status={phase('app', 'production')} />, { wrapper: v.wrapper });
    const viewer = await screen.findByRole('region', { name: 'Pins and pauses' });
    const unpin = (await within(viewer).findByRole('button', { name: 'Unpin' })) as HTMLButtonElement;
    expect(unpin.disabled).toBe(true);
    expect((within(viewer).getByRole('button', { name: 'Pause…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(viewer).getByRole('note').textContent).toBe(
      'Pinning or pausing app/production needs role promoter; token "vic" has viewer',
    );
  });
});
