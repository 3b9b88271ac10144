import type { GantryClient } from '@gantry/client';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hold, phase } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { PhasePanel } from '../phase/PhasePanel.js';

afterEach(cleanup);

describe('the holds view follows hold events live', () => {
  it('GIVEN an open phase panel WHEN someone pins the phase elsewhere, then releases it THEN the panel shows each at once, without reading the holds again', async () => {
    const holds = vi.fn<GantryClient['holds']>(async () => ({ items: [] }));
    const t = testProviders({ holds: true, client: { holds, history: async () => ({ items: [] }) } });
    render(<PhasePanel pipeline="app" status={phase('app', 'production')} />, { wrapper: t.wrapper });
    const section = await screen.findByRole('region', { name: 'Pins and pauses' });
    await within(section).findByText('Automation may move this phase.');
    expect(holds).toHaveBeenCalledTimes(1);

    // WHEN another person pins production (the CLI, another browser)
    const pin = hold({ actor: 'carol', reason: 'incident 42' });
    act(() => t.emit({ type: 'hold', hold: pin, change: 'set' }));
    // THEN
    await within(section).findByText('pinned by carol: incident 42');

    // WHEN it is released
    act(() =>
      t.emit({
        type: 'hold',
        hold: { ...pin, releasedAt: '2026-01-02T00:00:00.000Z', releasedBy: 'carol' },
        change: 'released',
      }),
    );
    // THEN
    await within(section).findByText('Automation may move this phase.');
    // and a hold on another pipeline does not show here
    act(() => t.emit({ type: 'hold', hold: hold({ id: 'h9', pipeline: 'web' }), change: 'set' }));
    expect(within(section).queryByText(/pinned by/)).toBeNull();
    expect(holds).toHaveBeenCalledTimes(1);
  });
});
