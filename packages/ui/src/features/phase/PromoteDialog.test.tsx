import type { GantryClient } from '@gantry/client';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { promotion } from '../../shared/fixtures.js';
import { testProviders } from '../../shared/test-providers.js';
import { PromoteDialog } from './PromoteDialog.js';

afterEach(cleanup);

const DIFF =
  '--- a/env/production/deployment.yaml\n+++ b/env/production/deployment.yaml\n@@ -1,1 +1,1 @@\n-image: app@sha256:2222\n+image: app@sha256:1111\n';

describe('PromoteDialog', () => {
  it('GIVEN a rollback THEN the plan for it is shown with its diff, and confirming promotes with rollbackOf', async () => {
    const earlier = promotion({ toVersion: 'app@111111111111' });
    const plan = vi.fn<GantryClient['plan']>(async () => ({
      kind: 'promote' as const,
      pipeline: 'app',
      phase: 'production',
      reason: 'rollback',
      target: { resource: { kind: 'oci-image' }, digest: 'sha256:1111', version: 'app@111111111111' },
      current: { resource: { kind: 'oci-image' }, digest: 'sha256:2222', version: 'app@222222222222' },
      diff: DIFF,
      message: 'release app@111111111111 to production',
      trailers: {},
    }));
    const promote = vi.fn<GantryClient['promote']>(async () => ({
      kind: 'queued' as const,
      promotion: promotion({ state: 'queued' }),
      plan: await plan('app', 'production'),
    }));
    const why = vi.fn<GantryClient['why']>(async () => ({
      plan: await plan('app', 'production'),
      gates: { verdicts: [], summary: { outcome: 'pass' as const, blocking: [], waiting: [], reason: 'no gates' } },
      holds: [],
      unfinished: [],
    }));
    const onQueued = vi.fn();
    const onClose = vi.fn();
    const t = testProviders({
      client: { plan, promote, why },
      me: {
        name: 'ops',
        role: 'admin',
        open: false,
        permissions: [{ pipeline: '*', phase: 'production', role: 'admin' }],
      },
    });
    render(
      <PromoteDialog pipeline="app" phase="production" rollbackOf={earlier} onClose={onClose} onQueued={onQueued} />,
      { wrapper: t.wrapper },
    );
    expect(screen.getByRole('dialog').getAttribute('aria-labelledby')).toBeTruthy();
    await screen.findByText('+image: app@sha256:1111');
    expect(plan).toHaveBeenCalledWith('app', 'production', { rollbackOf: earlier.id });
    // the gates judged are those of the version the rollback writes, as this person's release by hand
    expect(why).toHaveBeenCalledWith('app', 'production', { as: 'person', digest: earlier.toDigest });
    await screen.findByText('No gates: the promotion starts at once.');
    expect(screen.getByText('Needs role admin; you are ops (admin).')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(promote).toHaveBeenCalledWith('app', 'production', { rollbackOf: earlier.id });
    expect(onQueued).toHaveBeenCalledTimes(1);
  });

  it('GIVEN the phase already runs the version THEN nothing to confirm', async () => {
    const inSync = {
      kind: 'in-sync' as const,
      pipeline: 'app',
      phase: 'staging',
      current: { resource: { kind: 'oci-image' }, digest: 'sha256:1', version: 'app@1' },
    };
    const t = testProviders({
      client: {
        plan: async () => inSync,
        why: async () => ({ plan: inSync, holds: [], unfinished: [] }),
      },
    });
    render(<PromoteDialog pipeline="app" phase="staging" onClose={() => undefined} onQueued={() => undefined} />, {
      wrapper: t.wrapper,
    });
    await screen.findByText(/there is nothing to write/);
    expect((screen.getByRole('button', { name: 'Promote' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
