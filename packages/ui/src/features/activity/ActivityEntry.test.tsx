import type { ApiArtifact } from '@gantry/api';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { activityItems } from './activity.js';
import { ActivityEntry } from './ActivityEntry.js';

afterEach(cleanup);

const built = (o: Partial<ApiArtifact> = {}): ApiArtifact => ({
  id: '00000000-0000-4000-8000-0000000000a1',
  kind: 'image',
  image: 'registry.example.com/acme/app',
  digest: `sha256:0123456789ab${'f'.repeat(52)}`,
  source: { commit: 'abcdef1', branch: 'main' },
  sourceFrom: 'report',
  ci: { runUrl: 'https://github.com/acme/app/actions/runs/42' },
  pipelines: ['app'],
  verified: true,
  reportedAt: '2030-01-01T10:00:00.000Z',
  reportedBy: 'ci',
  updatedAt: '2030-01-01T10:00:00.000Z',
  steps: [
    { name: 'build', status: 'succeeded', updatedAt: '2030-01-01T10:00:00.000Z' },
    { name: 'test', status: 'succeeded', updatedAt: '2030-01-01T10:00:00.000Z' },
  ],
  ...o,
});

describe('ActivityEntry for a CI report', () => {
  it('GIVEN an artifact reported live THEN one line says what CI built, from which branch, its steps, links the pipeline and the run', () => {
    const [item] = activityItems([], [], [], [{ artifact: built(), outcome: 'created' }]);
    if (!item) throw new Error('no item');
    render(
      <ul>
        <ActivityEntry item={item} />
      </ul>,
    );
    expect(screen.getByText('CI reported acme/app@sha256:0123456789ab… from main (build ✓ test ✓)')).toBeTruthy();
    expect(screen.getByText('artifact')).toBeTruthy();
    expect(screen.getByText('verified')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'app' }).getAttribute('href')).toContain('app');
    expect(screen.getByRole('link', { name: 'run' }).getAttribute('href')).toBe(
      'https://github.com/acme/app/actions/runs/42',
    );
  });

  it('GIVEN an unverified build no pipeline reads, with a failed step THEN its badge says unverified with the reason, and its place is no link', () => {
    const [item] = activityItems(
      [],
      [],
      [],
      [
        {
          artifact: built({
            image: 'localhost:5000/tools',
            pipelines: [],
            verified: false,
            unverifiedReason: 'localhost:5000/tools has no manifest',
            ci: {},
            steps: [{ name: 'scan', status: 'failed', updatedAt: '2030-01-01T10:00:00.000Z' }],
          }),
          outcome: 'updated',
        },
      ],
    );
    if (!item) throw new Error('no item');
    render(
      <ul>
        <ActivityEntry item={item} />
      </ul>,
    );
    expect(screen.getByText('CI updated tools@sha256:0123456789ab… from main (scan ✗)')).toBeTruthy();
    expect(screen.getByText('unverified').getAttribute('title')).toBe('localhost:5000/tools has no manifest');
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('localhost:5000/tools')).toBeTruthy();
  });
});
