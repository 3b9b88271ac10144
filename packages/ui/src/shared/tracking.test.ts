import { describe, expect, it } from 'vitest';
import { describeTracking } from './tracking.js';

const at = '2030-01-01T00:00:00.000Z';

describe('describeTracking', () => {
  it('GIVEN a deployer and checks THEN the words follow the version from push to verified', () => {
    const view = (d: 'pending' | 'applied' | 'healthy', v: 'pending' | 'running' | 'verified') =>
      describeTracking({ deployment: { state: d, at }, verification: { state: v, at, run: 1 } });
    expect(view('pending', 'pending')).toMatchObject({ text: 'not applied yet', tone: 'progress' });
    expect(view('applied', 'pending')).toMatchObject({ text: 'applied', tone: 'progress' });
    expect(view('healthy', 'running')).toMatchObject({ text: 'healthy · verifying…', tone: 'progress' });
    expect(view('healthy', 'verified')).toMatchObject({ text: 'healthy · verified', tone: 'ok' });
  });

  it('GIVEN a degraded deployment THEN it says degraded alone, with the message in the detail', () => {
    const t = describeTracking({
      deployment: { state: 'degraded', at, message: 'Health check failed after 30s' },
      verification: { state: 'failed', at, run: 1, failed: ['deployer'], reason: 'the deployer reported degraded' },
    });
    expect(t).toMatchObject({ text: 'degraded', tone: 'bad' });
    expect(t?.detail).toContain('Health check failed after 30s');
  });

  it('GIVEN checks only THEN verification alone; a failed check is bad; GIVEN neither THEN nothing', () => {
    expect(
      describeTracking({ verification: { state: 'failed', at, run: 2, reason: 'health: status 503' } }),
    ).toMatchObject({ text: 'verification failed', tone: 'bad' });
    expect(describeTracking({ deployment: { state: 'healthy', at } })).toMatchObject({ text: 'healthy', tone: 'ok' });
    expect(describeTracking({})).toBeUndefined();
  });
});
