import type { ApiCheckResultEntry, ApiCheckResults } from '@gantry/api';
import type { ApiMe, GantryClient } from '@gantry/client';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { phase, promotion } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { VerificationSection } from './VerificationSection.js';

afterEach(cleanup);

const ID = '00000000-0000-4000-8000-000000000007';
const at = '2030-01-01T10:00:00.000Z';
const me = (role: ApiMe['role']): ApiMe => ({ name: 'ci', role, open: false, permissions: [] });

const check = (run: number, status: 'passed' | 'failed', output: string): ApiCheckResultEntry => ({
  run,
  name: 'health',
  recordedAt: at,
  result: {
    kind: 'http',
    name: 'health',
    status,
    reason: status === 'passed' ? 'status 200' : 'expected status 200-399, got 503',
    output,
    outputTruncated: false,
    attempts: 1,
    startedAt: at,
    finishedAt: '2030-01-01T10:00:00.300Z',
    evidence: {
      url: 'https://staging.example.com/healthz',
      method: 'GET',
      statusCode: status === 'passed' ? 200 : 503,
    },
  },
});

const staging = (o: Parameters<typeof phase>[2] = {}) =>
  phase('app', 'staging', {
    promotionId: ID,
    deployment: { state: 'healthy', at, deployer: 'flux', message: 'Applied revision: main@sha1:df71bd11' },
    verification: {
      state: 'failed',
      at,
      run: 2,
      failed: ['health'],
      reason: 'health: expected status 200-399, got 503',
    },
    ...o,
  });

describe('VerificationSection', () => {
  it("GIVEN a failed second run THEN the deployer's report, the verdict, each check with its output collapsed, earlier runs folded away", async () => {
    const t = testProviders({
      client: {
        checkResults: async (): Promise<ApiCheckResults> => ({
          promotionId: ID,
          items: [check(1, 'passed', 'ok'), check(2, 'failed', 'attempt 1: GET …: failed\nbroken')],
        }),
      },
      me: me('promoter'),
    });
    const { container } = render(<VerificationSection pipeline="app" status={staging()} />, { wrapper: t.wrapper });
    // THEN
    await screen.findByText('Checks (run 2)');
    expect(screen.getByText('healthy · verification failed')).toBeTruthy();
    expect(screen.getByText('Applied revision: main@sha1:df71bd11')).toBeTruthy();
    expect(screen.getByText('health: expected status 200-399, got 503')).toBeTruthy();
    const latest = screen.getByRole('list', { name: 'Check results of run 2' });
    expect(latest.querySelector('[data-check="health"]')?.getAttribute('data-status')).toBe('failed');
    expect(latest.textContent).toContain('GET https://staging.example.com/healthz → 503');
    const output = latest.querySelector('details.check-output') as HTMLDetailsElement;
    expect(output.open).toBe(false);
    expect(output.querySelector('pre')?.textContent).toContain('broken');
    const earlier = container.querySelector('details.earlier-runs') as HTMLDetailsElement;
    expect(earlier.open).toBe(false);
    expect(earlier.textContent).toContain('Earlier runs (1)');
  });

  it('GIVEN a promoter WHEN Re-run verification is clicked THEN the client re-runs it; GIVEN a promotion event THEN the results are read again', async () => {
    const reverify = vi.fn<GantryClient['reverify']>(async () => promotion({ id: ID }));
    const checkResults = vi.fn<GantryClient['checkResults']>(async () => ({
      promotionId: ID,
      items: [check(2, 'failed', 'x')],
    }));
    const t = testProviders({ client: { reverify, checkResults }, me: me('promoter') });
    render(<VerificationSection pipeline="app" status={staging()} />, { wrapper: t.wrapper });
    const button = await screen.findByRole('button', { name: 'Re-run verification' });
    expect((button as HTMLButtonElement).disabled).toBe(false);
    // WHEN
    fireEvent.click(button);
    // THEN
    await waitFor(() => expect(reverify).toHaveBeenCalledWith(ID));
    const reads = checkResults.mock.calls.length;
    act(() => t.emit({ type: 'promotion', promotion: promotion({ id: ID }) }));
    await waitFor(() => expect(checkResults.mock.calls.length).toBeGreaterThan(reads));
  });

  it('GIVEN a viewer, a run under way, or a degraded deployment THEN the button is disabled and says why', async () => {
    const t = testProviders({
      client: { checkResults: async () => ({ promotionId: ID, items: [] }) },
      me: me('viewer'),
    });
    const view = render(<VerificationSection pipeline="app" status={staging()} />, { wrapper: t.wrapper });
    const button = () => screen.getByRole('button', { name: 'Re-run verification' }) as HTMLButtonElement;
    expect(button().disabled).toBe(true);
    expect(screen.getByRole('note').textContent).toBe(
      'Re-running verification of app/staging needs role promoter; token "ci" has viewer',
    );
    view.rerender(
      <VerificationSection pipeline="app" status={staging({ verification: { state: 'running', at, run: 3 } })} />,
    );
    expect(screen.getByText('healthy · verifying…')).toBeTruthy();
    expect(screen.getByRole('note').textContent).toBe('Verification is running');
    view.rerender(
      <VerificationSection
        pipeline="app"
        status={staging({ deployment: { state: 'degraded', at, message: 'Health check failed' } })}
      />,
    );
    expect(document.querySelector('.section-head .tracking')?.textContent).toBe('degraded');
    expect(button().disabled).toBe(true);
    expect(screen.getByRole('note').textContent).toBe(
      'Verification runs once the deployer reports healthy; it is degraded',
    );
  });
});
