import type { PhaseStatus, PipelineStatus } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { formatStatusTable } from './status-table.js';

const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const status: PipelineStatus = {
  pipeline: 'app',
  labels: {},
  phases: [
    {
      pipeline: 'app',
      phase: 'oci',
      labels: {},
      source: 'oci',
      writable: false,
      state: 'source',
      version: 'app:latest@bbbb',
      upstreams: [],
    },
    {
      pipeline: 'app',
      phase: 'staging',
      labels: {},
      source: 'git',
      writable: true,
      state: 'behind',
      version: 'app@aaaa',
      setBy: { id: sha },
      age: { ms: 3 * 3_600_000 },
      upstreams: [{ phase: 'oci', version: 'app:latest@bbbb', digest: 'sha256:b', inSync: false }],
    },
    {
      pipeline: 'app',
      phase: 'production',
      labels: {},
      source: 'git',
      writable: true,
      state: 'error',
      upstreams: [],
      error: { code: 'git_unreachable', message: 'cannot reach /nope' },
    },
  ],
};

describe('formatStatusTable', () => {
  it('GIVEN phases in each state WHEN formatted THEN one aligned row each, naming what is behind', () => {
    const lines = formatStatusTable([status]).trimEnd().split('\n');
    expect(lines).toEqual([
      'PIPELINE  PHASE       VERSION          COMMIT   AGE  STATE',
      'app       oci         app:latest@bbbb  -        -    source',
      'app       staging     app@aaaa         a1b2c3d  3h   behind oci (app:latest@bbbb)',
      'app       production  -                -        -    error: cannot reach /nope',
    ]);
  });

  it('GIVEN deployment, verification and holds WHEN formatted THEN the state column says them after the state, the other columns unchanged', () => {
    const [oci, staging, production] = status.phases as [PhaseStatus, PhaseStatus, PhaseStatus];
    const at = '2026-01-02T03:04:05.000Z';
    const lines = formatStatusTable([
      {
        pipeline: 'app',
        phases: [
          oci,
          {
            ...staging,
            state: 'in-sync',
            deployment: { state: 'healthy' },
            verification: { state: 'verified', run: 1 },
            holds: [
              { pipeline: 'app', phase: 'staging', kind: 'pin', actor: 'alice', reason: 'rollback to app@aaaa', at },
            ],
          },
          {
            ...production,
            state: 'in-sync',
            version: 'app@cccc',
            deployment: { state: 'degraded' },
            verification: { state: 'running', run: 2 },
            holds: [{ pipeline: 'app', kind: 'pause', actor: 'bob', reason: 'incident 42', at }],
          },
        ],
      },
    ])
      .trimEnd()
      .split('\n');
    expect(lines).toEqual([
      'PIPELINE  PHASE       VERSION          COMMIT   AGE  STATE',
      'app       oci         app:latest@bbbb  -        -    source',
      'app       staging     app@aaaa         a1b2c3d  3h   in sync, deployment healthy, verified, pinned by alice (rollback to app@aaaa)',
      'app       production  app@cccc         -        -    in sync, deployment degraded, verifying (run 2), pipeline paused by bob (incident 42)',
    ]);
  });

  it('GIVEN an open proposal on a phase WHEN formatted THEN the state column says proposed #n with its version and checks; GitLab names it !n', () => {
    const [, staging] = status.phases as [PhaseStatus, PhaseStatus];
    const row = (proposal: object) =>
      formatStatusTable([{ pipeline: 'app', phases: [{ ...staging, proposal } as never] }])
        .trimEnd()
        .split('\n')[1];
    expect(row({ provider: 'github', number: 12, version: 'app@dddd' })).toMatch(
      /behind .*, proposed #12 \(app@dddd\)$/,
    );
    expect(
      row({ provider: 'gitlab', number: 7, version: 'app@dddd', checks: { state: 'pending', total: 3, passed: 1 } }),
    ).toMatch(/proposed !7 \(app@dddd, checks 1\/3 pending\)$/);
  });
});
