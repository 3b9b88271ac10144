import type { ApiDeployerEvent, ApiDeployerEvents } from '@gantry/api';
import type { DeployerEventsQuery, GantryClient } from '@gantry/client';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testProviders } from '../../shared/test-providers.js';
import DeployerEventsPage from './DeployerEventsPage.js';

afterEach(cleanup);

const at = '2030-01-01T10:00:00.000Z';
const event = (name: string, o: Partial<ApiDeployerEvent> = {}): ApiDeployerEvent => ({
  id: name,
  receivedAt: at,
  deployer: 'flux',
  object: { kind: 'Kustomization', namespace: 'flux-system', name },
  commit: 'df71bd11087227d4b8ee139a83604112ae1cfd5a',
  state: 'healthy',
  reason: 'ReconciliationSucceeded',
  message: 'Reconciliation finished in 1s',
  occurredAt: at,
  matched: [],
  mapping: { kind: 'flux-kustomization', namespace: 'flux-system', name },
  ...o,
});

describe('DeployerEventsPage', () => {
  it('GIVEN unmatched reports THEN each with the deployer: line that would match it, or why none can; WHEN Load more THEN the next page follows', async () => {
    const deployerEvents = vi.fn<GantryClient['deployerEvents']>(
      async (q?: DeployerEventsQuery): Promise<ApiDeployerEvents> =>
        q?.cursor
          ? { items: [event('older')] }
          : {
              items: [
                event('billing'),
                event('config', {
                  object: { kind: 'GitRepository', namespace: 'flux-system', name: 'config' },
                  mapping: undefined,
                }),
              ],
              nextCursor: '7',
            },
    );
    const t = testProviders({ client: { deployerEvents } });
    render(<DeployerEventsPage all={false} />, { wrapper: t.wrapper });
    // THEN
    await screen.findByText('Kustomization flux-system/billing');
    expect(deployerEvents).toHaveBeenCalledWith({ unmatched: true });
    expect(
      screen.getByText('deployer: { kind: flux-kustomization, namespace: flux-system, name: billing }'),
    ).toBeTruthy();
    expect(screen.getByText(/A phase cannot name a GitRepository/)).toBeTruthy();
    // WHEN
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    // THEN
    await screen.findByText('Kustomization flux-system/older');
    expect(deployerEvents).toHaveBeenLastCalledWith({ unmatched: true, cursor: '7' });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('GIVEN all reports THEN matched ones link to their phases; GIVEN none unmatched THEN says so', async () => {
    const t = testProviders({
      client: {
        deployerEvents: async (q) => ({ items: q?.unmatched ? [] : [event('staging', { matched: ['app/staging'] })] }),
      },
    });
    const view = render(<DeployerEventsPage all={true} />, { wrapper: t.wrapper });
    const link = await screen.findByRole('link', { name: 'app/staging' });
    expect(link.getAttribute('href')).toBe('/pipelines/app/phases/staging');
    expect(screen.queryByText(/deployer: \{/)).toBeNull();
    view.rerender(<DeployerEventsPage all={false} />);
    await screen.findByText('No unmatched reports');
  });
});
