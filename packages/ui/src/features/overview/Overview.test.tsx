import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { phase, pipelineStatus } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { Overview } from './Overview.js';

afterEach(cleanup);

const fleet = (n: number) =>
  Array.from({ length: n }, (_, i) => pipelineStatus(`svc-${String(i).padStart(4, '0')}`, { team: i % 2 ? 'a' : 'b' }));

describe('Overview', () => {
  it('GIVEN 1,000 pipelines THEN only a screenful of rows is in the DOM, each name linking to its pipeline and each cell to its phase', async () => {
    const t = testProviders({ client: { listPipelines: async () => ({ pipelines: fleet(1000), observedAt: null }) } });
    const { container } = render(<Overview filter="" />, { wrapper: t.wrapper });
    await screen.findByText('svc-0000');
    const rows = container.querySelectorAll('.rows .row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.querySelector('.cell.name a')?.getAttribute('href')).toBe('/pipelines/svc-0000');
    expect(rows[0]?.querySelector('.cell[data-phase="production"] a')?.getAttribute('href')).toBe(
      '/pipelines/svc-0000/phases/production',
    );
    // the state in words beside its colour
    expect(rows[0]?.querySelector('.cell[data-phase="production"] .state-text')?.textContent).toBe('✓ in sync');
    expect(rows[0]?.querySelector('.cell[data-phase="oci"] .state-text')?.textContent).toBe('◆ source');
    expect(screen.getByText('1000 pipelines')).toBeTruthy();
  });

  it('GIVEN a label filter THEN only matching pipelines; GIVEN no match THEN says so and offers to clear', async () => {
    const t = testProviders({ client: { listPipelines: async () => ({ pipelines: fleet(4), observedAt: null }) } });
    const view = render(<Overview filter="team=a" />, { wrapper: t.wrapper });
    await screen.findByText('svc-0001');
    expect(screen.queryByText('svc-0000')).toBeNull();
    expect(screen.getByText('2 of 4 pipelines')).toBeTruthy();
    view.rerender(<Overview filter="nothing-like-this" />);
    expect(screen.getByText('No pipeline matches “nothing-like-this”')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Clear the filter' })).toBeTruthy();
  });

  it('GIVEN a sort and a facet THEN rows follow them and the address keeps both', async () => {
    window.history.replaceState(null, '', '/');
    const list = [
      pipelineStatus('a', { team: 'web' }),
      pipelineStatus('b', { team: 'web' }, [
        phase('b', 'staging'),
        phase('b', 'production', { state: 'behind', upstreams: [{ phase: 'staging', inSync: false }] }),
      ]),
      pipelineStatus('c', { team: 'pay' }),
    ];
    const t = testProviders({ client: { listPipelines: async () => ({ pipelines: list, observedAt: null }) } });
    const { container, rerender } = render(<Overview filter="" sort="state" />, { wrapper: t.wrapper });
    await screen.findByText('3 pipelines');
    const names = () => [...container.querySelectorAll('.rows .row')].map((r) => r.getAttribute('data-pipeline'));
    expect(names()).toEqual(['b', 'a', 'c']);
    // WHEN "Behind in production" is pressed THEN the filter says so, in the address
    fireEvent.click(screen.getByRole('button', { name: 'Behind in production (1)' }));
    expect(new URLSearchParams(window.location.search).get('q')).toBe('production:behind');
    expect(new URLSearchParams(window.location.search).get('sort')).toBe('state');
    rerender(<Overview filter="production:behind" sort="state" />);
    expect(names()).toEqual(['b']);
    // WHEN the team facet picks pay THEN its term joins the filter
    fireEvent.change(screen.getByRole('combobox', { name: 'team' }), { target: { value: 'pay' } });
    expect(new URLSearchParams(window.location.search).get('q')).toBe('production:behind team=pay');
  });

  it('GIVEN a phase event THEN the cell changes without a reload', async () => {
    const t = testProviders({ client: { listPipelines: async () => ({ pipelines: fleet(2), observedAt: null }) } });
    const { container } = render(<Overview filter="" />, { wrapper: t.wrapper });
    await screen.findByText('svc-0001');
    const cell = () => container.querySelector('[data-pipeline="svc-0001"] .cell[data-phase="staging"]');
    expect(cell()?.className).toContain('state-in-sync');
    act(() =>
      t.emit({
        type: 'phase',
        status: phase('svc-0001', 'staging', { state: 'behind', upstreams: [{ phase: 'oci', inSync: false }] }),
      }),
    );
    // folded in at the next frame
    await waitFor(() => expect(cell()?.className).toContain('state-behind'));
    expect(cell()?.textContent).toContain('behind');
  });

  it('GIVEN a phase whose version is healthy and verified THEN the cell says so in words; WHEN a phase event reports it degraded THEN the cell follows', async () => {
    const at = '2030-01-01T00:00:00.000Z';
    const tracked = pipelineStatus('svc-0000', {}, [
      phase('svc-0000', 'staging', {
        promotionId: '00000000-0000-4000-8000-000000000001',
        deployment: { state: 'healthy', at },
        verification: { state: 'verified', at, run: 1 },
      }),
    ]);
    const t = testProviders({ client: { listPipelines: async () => ({ pipelines: [tracked], observedAt: null }) } });
    const { container } = render(<Overview filter="" />, { wrapper: t.wrapper });
    await screen.findByText('svc-0000');
    const tracking = () => container.querySelector('[data-pipeline="svc-0000"] .cell[data-phase="staging"] .tracking');
    expect(tracking()?.textContent).toBe('healthy · verified');
    // WHEN
    act(() =>
      t.emit({
        type: 'phase',
        status: phase('svc-0000', 'staging', {
          deployment: { state: 'degraded', at, message: 'Health check failed' },
          verification: { state: 'failed', at, run: 1, failed: ['deployer'] },
        }),
      }),
    );
    // THEN
    await waitFor(() => expect(tracking()?.textContent).toBe('degraded'));
    expect(tracking()?.getAttribute('title')).toContain('Health check failed');
  });

  it('GIVEN no pipelines THEN says how to define them; GIVEN an unreachable server THEN what to do, with Retry', async () => {
    const empty = testProviders({ client: { listPipelines: async () => ({ pipelines: [], observedAt: null }) } });
    render(<Overview filter="" />, { wrapper: empty.wrapper });
    await screen.findByText('No pipelines yet');
    cleanup();
    const { ApiUnreachableError } = await import('@gantry/client');
    const down = testProviders({
      client: {
        listPipelines: async () => {
          throw new ApiUnreachableError('', new Error('connection refused'));
        },
      },
    });
    render(<Overview filter="" />, { wrapper: down.wrapper });
    await screen.findByText('The Gantry server does not answer');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('GIVEN the whole list still loading THEN the first rows come from a page the server sorts, said to be the first; WHEN the list arrives THEN every row and the count', async () => {
    const asked: unknown[] = [];
    let arrive: (l: { pipelines: ReturnType<typeof fleet>; observedAt: null }) => void = () => undefined;
    const t = testProviders({
      client: {
        listPipelines: () => new Promise((resolve) => (arrive = resolve)),
        pipelinePage: async (query) => {
          asked.push(query);
          return { pipelines: fleet(2), observedAt: null, total: 5, nextCursor: 'c' };
        },
      },
    });
    const { container } = render(<Overview filter="" sort="state" />, { wrapper: t.wrapper });
    await screen.findByText('first 2 of 5, loading the rest…');
    expect(asked).toEqual([{ sort: 'state', limit: 60 }]);
    const names = () => [...container.querySelectorAll('.rows .row')].map((r) => r.getAttribute('data-pipeline'));
    expect(names()).toEqual(['svc-0000', 'svc-0001']);
    // facets count the whole list: none until it is there
    expect(screen.queryByRole('combobox', { name: 'team' })).toBeNull();
    // WHEN
    await act(async () => arrive({ pipelines: fleet(5), observedAt: null }));
    // THEN
    expect(screen.getByText('5 pipelines')).toBeTruthy();
    expect(names()).toHaveLength(5);
    expect(screen.getByRole('combobox', { name: 'team' })).toBeTruthy();
  });

  it('GIVEN the first rows shown WHEN a filter is typed before the whole list arrives THEN the box keeps it and the rows wait for the list', async () => {
    let arrive: (l: { pipelines: ReturnType<typeof fleet>; observedAt: null }) => void = () => undefined;
    const t = testProviders({
      client: {
        listPipelines: () => new Promise((resolve) => (arrive = resolve)),
        pipelinePage: async () => ({ pipelines: fleet(2), observedAt: null, total: 4, nextCursor: 'c' }),
      },
    });
    const view = render(<Overview filter="" />, { wrapper: t.wrapper });
    await screen.findByText('first 2 of 4, loading the rest…');
    view.rerender(<Overview filter="team=a" />);
    expect(screen.getByText('Loading all 4 pipelines to filter them…')).toBeTruthy();
    expect((screen.getByRole('searchbox', { name: 'Filter pipelines' }) as HTMLInputElement).value).toBe('team=a');
    await act(async () => arrive({ pipelines: fleet(4), observedAt: null }));
    expect(screen.getByText('2 of 4 pipelines')).toBeTruthy();
  });
});
