import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { phase } from '../../shared/fixtures.js';
import { localTime } from '../../shared/format.js';
import { testProviders } from '../../shared/test-providers.js';
import { PhaseCell } from './PhaseCell.js';

afterEach(cleanup);

describe('PhaseCell', () => {
  it('GIVEN a phase whose registry rate-limits THEN it keeps its version and says rate-limited until when, and stale, in words', () => {
    const until = '2026-03-01T12:05:00.000Z';
    const t = testProviders({ client: {} });
    const status = phase('app', 'oci', {
      state: 'source',
      version: 'v1',
      warning: {
        code: 'registry_rate_limited',
        message: 'registry hub is rate-limiting requests until 2026-03-01T12:05:00.000Z (HTTP 429)',
        stale: true,
        observedAt: '2026-03-01T12:00:00.000Z',
        registry: { registry: 'hub', state: 'rate-limited', until },
      },
    });
    const { container } = render(<PhaseCell status={status} />, { wrapper: t.wrapper });
    expect(container.querySelector('.version')?.textContent).toContain('v1');
    const mark = screen.getByText(`⚠ rate-limited until ${localTime(until)} · stale`);
    expect(mark.getAttribute('title')).toContain('registry hub is rate-limiting requests');
  });

  it('GIVEN a phase without warning THEN no warning mark', () => {
    const t = testProviders({ client: {} });
    const { container } = render(<PhaseCell status={phase('app', 'oci', { version: 'v1' })} />, { wrapper: t.wrapper });
    expect(container.querySelector('.warning-mark')).toBeNull();
  });
});
